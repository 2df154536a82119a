using System.Text;
using Stepwise.Migrations.Layouts;

namespace Stepwise.Migrations.Tests.Layouts;

public sealed class ScriptContentTests
{
    [Fact]
    public void Up_and_down_files_are_paired_by_version()
    {
        using var dir = new TempFolder()
            .Write("0001_users.up.sql", "CREATE TABLE users (id int);")
            .Write("0001_users.down.sql", "DROP TABLE users;")
            .Write("0002_index.up.sql", "CREATE INDEX i ON users (id);");

        var result = MigrationFolder.Load(dir.Path);

        Assert.Empty(result.Problems);
        Assert.Equal(2, result.Migrations.Count);
        var first = result.Migrations[0];
        Assert.Equal(("0001", "users"), (first.Version, first.Name));
        Assert.Equal("CREATE TABLE users (id int);", first.Up.Text);
        Assert.Equal("DROP TABLE users;", first.Down!.Text);
        Assert.Null(result.Migrations[1].Down);
    }

    [Fact]
    public void Display_paths_keep_the_folder_as_given()
    {
        using var dir = new TempFolder().Write("0001_a.up.sql", "SELECT 1;");

        var plain = MigrationFolder.Load(dir.Path);
        var slashed = MigrationFolder.Load(dir.Path + "/");

        Assert.Equal(dir.Path + "/0001_a.up.sql", plain.Migrations[0].Up.Path);
        Assert.Equal(dir.Path + "/0001_a.up.sql", slashed.Migrations[0].Up.Path);
        Assert.Equal(dir.Path + "/", slashed.Folder);
    }

    [Fact]
    public void A_relative_folder_stays_relative_in_paths()
    {
        using var dir = new TempFolder().Write("0001_a.up.sql", "SELECT 1;");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, dir.Path);

        var result = MigrationFolder.Load(relative);

        Assert.Equal(relative + "/0001_a.up.sql", result.Migrations[0].Up.Path);
    }

    [Fact]
    public void A_bom_is_stripped_and_crlf_is_kept()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("SELECT 1;\r\nSELECT 2;\r\n")).ToArray();
        using var dir = new TempFolder().WriteBytes("0001_a.up.sql", bytes);

        var script = MigrationFolder.Load(dir.Path).Migrations[0].Up;

        Assert.Equal("SELECT 1;\r\nSELECT 2;\r\n", script.Text);
        Assert.Equal(bytes, script.FileBytes.ToArray());
    }

    [Fact]
    public void An_empty_file_is_a_valid_empty_script()
    {
        using var dir = new TempFolder().Write("0001_a.up.sql", string.Empty);

        var result = MigrationFolder.Load(dir.Path);

        Assert.Empty(result.Problems);
        Assert.Equal(string.Empty, result.Migrations[0].Up.Text);
    }

    [Theory]
    [InlineData("-- stepwise:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (c);", "-- stepwise:no-transaction")]
    [InlineData("/* why */\n\n--   Stepwise:No-Transaction  \r\nCREATE INDEX CONCURRENTLY i ON t (c);", "-- stepwise:no-transaction")]
    [InlineData("-- atlas:txmode none\n\nCREATE INDEX CONCURRENTLY i ON t (c);", "-- atlas:txmode none")]
    public void A_no_transaction_comment_before_the_first_statement_is_read(string sql, string reason)
    {
        using var dir = new TempFolder().Write("0001_a.up.sql", sql);

        var script = MigrationFolder.Load(dir.Path).Migrations[0].Up;

        Assert.True(script.NoTransaction);
        Assert.Equal(reason, script.NoTransactionReason);
    }

    [Fact]
    public void A_no_transaction_comment_after_a_statement_is_not_a_directive()
    {
        using var dir = new TempFolder().Write("0001_a.up.sql", "SELECT 1;\n-- stepwise:no-transaction\n");

        var script = MigrationFolder.Load(dir.Path).Migrations[0].Up;

        Assert.False(script.NoTransaction);
        Assert.Null(script.NoTransactionReason);
    }

    [Fact]
    public void Flyway_undo_is_the_down_and_a_script_conf_turns_off_the_transaction()
    {
        using var dir = new TempFolder()
            .Write("V1__index.sql", "CREATE INDEX CONCURRENTLY i ON t (c);")
            .Write("V1__index.sql.conf", "# per-script settings\nexecuteInTransaction=false\n")
            .Write("U1__index.sql", "DROP INDEX i;");

        var result = MigrationFolder.Load(dir.Path);

        Assert.Empty(result.Problems);
        var migration = Assert.Single(result.Migrations);
        Assert.True(migration.Up.NoTransaction);
        Assert.Equal("executeInTransaction=false in V1__index.sql.conf", migration.Up.NoTransactionReason);
        Assert.Equal("DROP INDEX i;", migration.Down!.Text);
        Assert.False(migration.Down.NoTransaction);
    }

    [Fact]
    public void Dbmate_sections_keep_the_positions_of_the_file()
    {
        const string file = "-- a comment\r\n-- migrate:up\r\nCREATE TABLE a (id int);\r\n\r\n-- migrate:down\r\nDROP TABLE a;\r\n";
        using var dir = new TempFolder().Write("20240101000000_create_a.sql", file);

        var result = MigrationFolder.Load(dir.Path);

        Assert.Empty(result.Problems);
        var migration = Assert.Single(result.Migrations);
        Assert.Equal(("20240101000000", "create_a"), (migration.Version, migration.Name));
        var up = migration.Up.Text;
        var down = migration.Down!.Text;
        Assert.Equal(file.Length, up.Length);
        Assert.Equal(file.Length, down.Length);
        Assert.Equal(file.IndexOf("CREATE", StringComparison.Ordinal), up.IndexOf("CREATE", StringComparison.Ordinal));
        Assert.Equal(file.IndexOf("DROP", StringComparison.Ordinal), down.IndexOf("DROP", StringComparison.Ordinal));
        Assert.DoesNotContain("DROP", up, StringComparison.Ordinal);
        Assert.DoesNotContain("CREATE", down, StringComparison.Ordinal);
        Assert.Equal(file.Count(c => c == '\n'), up.Count(c => c == '\n'));
        Assert.Equal(file.Count(c => c == '\r'), down.Count(c => c == '\r'));
        var blankedDown = new string(' ', "-- migrate:down".Length) + "\r\n" + new string(' ', "DROP TABLE a;".Length) + "\r\n";
        Assert.Equal("-- a comment\r\n-- migrate:up\r\nCREATE TABLE a (id int);\r\n\r\n" + blankedDown, up);
        Assert.Equal(migration.Up.Path, migration.Down.Path);
        Assert.False(migration.Up.NoTransaction);
    }

    [Fact]
    public void Dbmate_transaction_false_applies_to_its_own_section()
    {
        using var dir = new TempFolder()
            .Write("1_index.sql", "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (c);\n-- migrate:down\nDROP INDEX i;\n");

        var migration = MigrationFolder.Load(dir.Path).Migrations[0];

        Assert.True(migration.Up.NoTransaction);
        Assert.Equal("transaction:false on '-- migrate:up'", migration.Up.NoTransactionReason);
        Assert.False(migration.Down!.NoTransaction);
    }

    [Fact]
    public void Drizzle_scripts_carry_the_statement_breakpoint()
    {
        using var dir = new TempFolder()
            .Write("meta/_journal.json", """{"dialect":"postgresql","entries":[{"idx":0,"when":1,"tag":"0000_init","breakpoints":true}]}""")
            .Write("0000_init.sql", "CREATE TABLE a (id int);\n--> statement-breakpoint\nCREATE TABLE b (id int);\n");

        var migration = MigrationFolder.Load(dir.Path).Migrations[0];

        Assert.Equal("--> statement-breakpoint", migration.Up.BreakpointComment);
        Assert.Equal(("0000", "init"), (migration.Version, migration.Name));
        Assert.Null(migration.Down);
    }

    [Fact]
    public void Other_layouts_have_no_breakpoint_comment()
    {
        using var dir = new TempFolder().Write("0001_a.up.sql", "SELECT 1;");

        Assert.Null(MigrationFolder.Load(dir.Path).Migrations[0].Up.BreakpointComment);
    }

    [Fact]
    public void A_prisma_down_sql_is_the_down()
    {
        using var dir = new TempFolder()
            .Write("migration_lock.toml", "provider = \"sqlite\"")
            .Write("20240101000000_init/migration.sql", "CREATE TABLE a (id int);")
            .Write("20240101000000_init/down.sql", "DROP TABLE a;");

        var migration = Assert.Single(MigrationFolder.Load(dir.Path).Migrations);

        Assert.Equal("DROP TABLE a;", migration.Down!.Text);
        Assert.EndsWith("/20240101000000_init/migration.sql", migration.Up.Path, StringComparison.Ordinal);
    }
}
