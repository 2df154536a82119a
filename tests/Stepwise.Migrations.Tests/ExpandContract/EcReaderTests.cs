using Stepwise.Engines;
using Stepwise.Migrations.ExpandContract;
using Stepwise.Migrations.Layouts;
using Stepwise.Migrations.Running;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Migrations.Tests.ExpandContract;

/// <summary>How a <c>-- stepwise:expand-contract</c> file becomes <see cref="EcChange"/> records, per dialect.</summary>
public sealed class EcReaderTests
{
    private const string Directive = "-- stepwise:expand-contract\n";

    private static MigrationUnit Unit(string up, SqlDialect dialect = SqlDialect.PostgreSql, string? down = null, bool buildDown = false, bool noTransaction = false)
    {
        var upScript = new MigrationScript { Path = "0007_change.up.sql", Text = up, NoTransaction = noTransaction };
        var downScript = down is null ? null : new MigrationScript { Path = "0007_change.down.sql", Text = down };
        var migration = new Migration { Version = "0007", Name = "change", OrderKey = VersionKey.Parse(LayoutKind.Stepwise, "0007"), Up = upScript, Down = downScript };
        return MigrationUnit.Build(migration, buildDown ? downScript! : upScript, dialect, 15);
    }

    private static IReadOnlyList<EcChange> Changes(string body, SqlDialect dialect = SqlDialect.PostgreSql)
    {
        var unit = Unit(Directive + body, dialect);
        Assert.True(unit.ExpandContractError is null, unit.ExpandContractError);
        return unit.ExpandContract!.Changes;
    }

    [Fact]
    public void The_directive_is_the_first_non_blank_line_only()
    {
        Assert.True(ExpandContractDirective.IsPresent("\n  -- stepwise:expand-contract\nALTER TABLE t RENAME COLUMN a TO b;"));
        Assert.True(ExpandContractDirective.IsPresent("-- STEPWISE:EXPAND-CONTRACT"));
        Assert.False(ExpandContractDirective.IsPresent("-- stepwise:expand-contractual\n"));
        Assert.False(ExpandContractDirective.IsPresent("SELECT 1;\n-- stepwise:expand-contract\n"));
        Assert.False(Unit("ALTER TABLE t RENAME COLUMN a TO b;").IsExpandContract);
    }

    [Fact]
    public void PostgreSql_several_statements_and_an_alter_with_several_actions_split_into_changes()
    {
        var changes = Changes("""
            ALTER TABLE users RENAME COLUMN username TO display_name;
            ALTER TABLE orders ALTER COLUMN quantity TYPE bigint USING quantity::bigint, ALTER COLUMN note SET NOT NULL, DROP COLUMN legacy;
            ALTER TABLE accounts RENAME TO customers;
            DROP TABLE old_audit;
            CREATE INDEX orders_created ON orders (created_at);
            """);

        Assert.Equal(
            [
                new EcRenameColumn("users", "username", "display_name"),
                new EcChangeColumnType("orders", "quantity", "bigint", "quantity::bigint"),
                new EcSetNotNull("orders", "note"),
                new EcDropColumn("orders", "legacy"),
                new EcRenameTable("accounts", "customers"),
                new EcDropTable("old_audit"),
            ],
            changes.Take(6));
        var index = Assert.IsType<EcStatement>(changes[6]);
        Assert.Equal(("orders", "CREATE INDEX orders_created ON orders (created_at)"), (index.Table, index.Sql));
        Assert.IsType<CreateIndexStatement>(index.Parsed);
    }

    [Fact]
    public void A_required_column_takes_its_default_or_a_fill_line_and_other_actions_stay_one_alter()
    {
        var changes = Changes("""
            -- stepwise:fill users.tier = 'basic'
            ALTER TABLE users ADD COLUMN nickname text, ADD COLUMN tier text NOT NULL, ADD COLUMN flags int NOT NULL DEFAULT 0, ADD COLUMN bio text;
            """);

        Assert.Equal(4, changes.Count);
        var first = Assert.IsType<EcStatement>(changes[0]);
        Assert.Equal("ALTER TABLE users ADD COLUMN nickname text", first.Sql);
        Assert.IsType<AlterTableStatement>(first.Parsed);
        Assert.Equal(new EcAddRequiredColumn("users", "tier", "text", "'basic'", null), changes[1]);
        Assert.Equal(new EcAddRequiredColumn("users", "flags", "int", "0", "0"), changes[2]);
        Assert.Equal("ALTER TABLE users ADD COLUMN bio text", Assert.IsType<EcStatement>(changes[3]).Sql);
    }

    [Fact]
    public void An_alter_with_only_other_actions_is_kept_as_written()
    {
        var change = Assert.IsType<EcStatement>(Assert.Single(Changes("ALTER TABLE users ADD COLUMN nickname text, ADD CONSTRAINT users_age CHECK (age > 0);")));
        Assert.Equal("ALTER TABLE users ADD COLUMN nickname text, ADD CONSTRAINT users_age CHECK (age > 0)", change.Sql);
    }

    [Fact]
    public void MySql_modify_change_and_rename_table()
    {
        var changes = Changes("""
            -- stepwise:old-value total_cents = total_cents DIV 100
            ALTER TABLE orders MODIFY quantity BIGINT NOT NULL;
            ALTER TABLE orders CHANGE total total_cents BIGINT NOT NULL DEFAULT 0;
            RENAME TABLE accounts TO customers, logs TO old_logs;
            """, SqlDialect.MySql);

        var modify = Assert.IsType<EcChangeColumnType>(changes[0]);
        Assert.Equal(("orders", "quantity", null, "BIGINT NOT NULL"), (modify.Table, modify.Column, modify.NewName, modify.Definition));
        Assert.Equal("BIGINT", modify.NewType, ignoreCase: true);
        var change = Assert.IsType<EcChangeColumnType>(changes[1]);
        Assert.Equal(("total", "total_cents", "BIGINT NOT NULL DEFAULT 0", "total_cents DIV 100"), (change.Column, change.NewName, change.Definition, change.OldValue));
        Assert.Equal([new EcRenameTable("accounts", "customers"), new EcRenameTable("logs", "old_logs")], changes.Skip(2));
    }

    [Fact]
    public void Sqlite_rename_column_and_drop_column()
    {
        Assert.Equal(
            [new EcRenameColumn("users", "username", "display_name"), new EcDropColumn("users", "legacy")],
            Changes("ALTER TABLE users RENAME COLUMN username TO display_name;\nALTER TABLE users DROP COLUMN legacy;\n", SqlDialect.Sqlite));
    }

    [Fact]
    public void The_file_names_every_table_it_touches_old_and_new_names()
    {
        var unit = Unit(Directive + "ALTER TABLE accounts RENAME TO customers;\nCREATE INDEX o_c ON orders (c);\n");
        Assert.Equal(["accounts", "customers", "orders"], unit.ExpandContract!.Tables);
    }

    [Theory]
    [InlineData("BEGIN;\nALTER TABLE t RENAME COLUMN a TO b;\nCOMMIT;\n", "transaction statements")]
    [InlineData("ALTER TABLE t ADD COLUMN c int NOT NULL;\n", "-- stepwise:fill c = EXPR")]
    [InlineData("-- stepwise:fill c =\nALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 1;\n", "does not have the form")]
    [InlineData("-- stepwise:fill nope = 1\nALTER TABLE t RENAME COLUMN a TO b;\n", "names no column")]
    [InlineData("\n", "no statements")]
    public void A_file_the_reader_cannot_use_says_why(string body, string why)
    {
        var unit = Unit(Directive + body);
        Assert.True(unit.IsExpandContract);
        Assert.Null(unit.ExpandContract);
        Assert.Contains(why, unit.ExpandContractError, StringComparison.Ordinal);
    }

    [Fact]
    public void The_directive_in_a_down_file_or_with_no_transaction_is_refused()
    {
        var down = Unit("ALTER TABLE t RENAME COLUMN b TO a;", down: Directive + "ALTER TABLE t RENAME COLUMN b TO a;", buildDown: true);
        Assert.Contains("belongs in the up file", down.ExpandContractError, StringComparison.Ordinal);
        var noTx = Unit(Directive + "ALTER TABLE t RENAME COLUMN a TO b;", noTransaction: true);
        Assert.Contains("no-transaction", noTx.ExpandContractError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("20240102030405", "20240102030405")]
    [InlineData("1.2.3", "1_2_3")]
    [InlineData("V2__Add-Users", "v2__add_users")]
    public void The_id_is_the_version_sanitised(string version, string id) => Assert.Equal(id, ExpandContractDirective.IdOf(version));

    [Fact]
    public void A_plan_round_trips_through_its_stored_json()
    {
        var plan = new EcPlan
        {
            Expand = [new EcStep("add column users.display_name", EcStepKind.Transaction, ["ALTER TABLE users ADD COLUMN display_name text", "CREATE TRIGGER \"x\" …"])],
            Backfills = [new EcBackfill("users", "display_name = username", "display_name IS DISTINCT FROM username"), new EcBackfill("t", "a = 1", null)],
            Contract = [new EcStep("drop old", EcStepKind.LockedSession, ["LOCK TABLES t WRITE", "UNLOCK TABLES"])],
            Abort = [new EcStep("drop new", EcStepKind.Statements, ["DROP INDEX CONCURRENTLY IF EXISTS i"])],
            Tables = ["users"],
            OldNames = [new EcOldName("users", "username"), new EcOldName("accounts", null)],
        };

        var json = EcPlanJson.Write(plan);
        var back = EcPlanJson.Read(json, out var problem);

        Assert.Null(problem);
        Assert.NotNull(back);
        Assert.Equal(EcPlanJson.Write(back), json);
        Assert.Equal(plan.Expand[0].Statements, back.Expand[0].Statements);
        Assert.Equal(EcStepKind.LockedSession, back.Contract[0].Kind);
        Assert.Equal(plan.OldNames, back.OldNames);
        Assert.Equal(plan.Backfills, back.Backfills);
        Assert.Contains("\"lockedSession\"", json, StringComparison.OrdinalIgnoreCase);
        Assert.Null(EcPlanJson.Read("{not json", out var bad));
        Assert.Contains("cannot be read", bad, StringComparison.Ordinal);
    }
}
