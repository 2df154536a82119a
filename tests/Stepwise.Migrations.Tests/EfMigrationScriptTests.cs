using Stepwise.Analysis;
using Stepwise.Sql;

namespace Stepwise.Migrations.Tests;

public class EfMigrationScriptTests
{
    private const string TwoMigrations = """
        CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" ("MigrationId" character varying(150) NOT NULL, "ProductVersion" character varying(32) NOT NULL);

        START TRANSACTION;
        CREATE TABLE "Users" ("Id" integer NOT NULL, "Email" text NOT NULL);

        INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
        VALUES ('20250101000000_Initial', '10.0.5');

        COMMIT;

        START TRANSACTION;
        CREATE INDEX "IX_Users_Email" ON "Users" ("Email");

        INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
        VALUES ('20250202000000_EmailIndex', '10.0.5');

        COMMIT;

        """;

    [Fact]
    public void Each_migration_ends_after_its_history_row_and_commit()
    {
        var source = new SourceText(TwoMigrations, "-");

        var blocks = EfMigrationScript.Split(source, SqlDialect.PostgreSql);

        Assert.Equal(["20250101000000_Initial", "20250202000000_EmailIndex"], blocks.Select(b => b.MigrationId));
        Assert.Equal(0, blocks[0].Span.Start);
        Assert.EndsWith("COMMIT;", source.ToString(blocks[0].Span), StringComparison.Ordinal);
        Assert.Equal(blocks[0].Span.End, blocks[1].Span.Start);
        Assert.Equal(TwoMigrations.Length, blocks[1].Span.End);
        Assert.Contains("CREATE INDEX", source.ToString(blocks[1].Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Split_inputs_keep_the_path_and_positions_and_blank_the_rest()
    {
        var inputs = EfMigrationScript.SplitInputs([new LintInput(new SourceText(TwoMigrations, "-"))], SqlDialect.PostgreSql);

        Assert.Equal(2, inputs.Count);
        Assert.All(inputs, i => Assert.Equal("-", i.Source.Path));
        Assert.All(inputs, i => Assert.Equal(TwoMigrations.Length, i.Source.Length));
        Assert.All(inputs, i => Assert.Equal(TwoMigrations.Split('\n').Length, i.Source.Text.Split('\n').Length));
        Assert.DoesNotContain("CREATE INDEX", inputs[0].Source.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("CREATE TABLE \"Users\"", inputs[1].Source.Text, StringComparison.Ordinal);
        var index = TwoMigrations.IndexOf("CREATE INDEX", StringComparison.Ordinal);
        Assert.Equal(index, inputs[1].Source.Text.IndexOf("CREATE INDEX", StringComparison.Ordinal));
    }

    [Fact]
    public void A_migration_inside_a_transaction_opened_earlier_keeps_that_BEGIN()
    {
        // one transaction around both migrations: the second starts inside it
        const string oneTransaction = """
            START TRANSACTION;
            CREATE TABLE "Users" ("Id" integer NOT NULL, "Email" text NOT NULL);
            INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('1_Initial', '9.0.0');
            CREATE INDEX CONCURRENTLY "IX_Users_Email" ON "Users" ("Email");
            INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('2_Index', '9.0.0');
            COMMIT;
            """;

        var inputs = EfMigrationScript.SplitInputs([new LintInput(new SourceText(oneTransaction, "-"))], SqlDialect.PostgreSql);

        Assert.Equal(2, inputs.Count);
        Assert.StartsWith("START TRANSACTION;", inputs[1].Source.Text, StringComparison.Ordinal);
        var report = Linter.Lint(inputs, new LintOptions());
        Assert.Contains(report.Findings, f => f.Rule == "concurrently-in-transaction" && f.Start.Line == 4);
    }

    [Fact]
    public void MySQL_backticks_and_SQL_Server_N_strings_are_history_rows_too()
    {
        const string mysql = """
            START TRANSACTION;
            CREATE TABLE `Users` (`Id` int NOT NULL);
            INSERT INTO `__EFMigrationsHistory` (`MigrationId`, `ProductVersion`) VALUES ('1_Initial', '9.0.0');
            COMMIT;
            START TRANSACTION;
            ALTER TABLE `Users` ADD `Email` longtext NULL;
            INSERT INTO `__EFMigrationsHistory` (`MigrationId`, `ProductVersion`) VALUES (N'2_Email', '9.0.0');
            COMMIT;
            """;

        Assert.Equal(["1_Initial", "2_Email"], EfMigrationScript.Split(new SourceText(mysql), SqlDialect.MySql).Select(b => b.MigrationId));
    }

    [Fact]
    public void Other_sql_is_left_alone()
    {
        var input = new LintInput(new SourceText("CREATE TABLE t (id int);\nINSERT INTO history VALUES ('x');\n", "a.sql"));

        Assert.Empty(EfMigrationScript.Split(input.Source, SqlDialect.PostgreSql));
        var inputs = new[] { input };
        Assert.Same(inputs, EfMigrationScript.SplitInputs(inputs, SqlDialect.PostgreSql));
    }
}
