using Microsoft.EntityFrameworkCore;
using Stepwise.Analysis.Reporting;
using Stepwise.Sql;

namespace Stepwise.EntityFrameworkCore.Tests;

/// <summary>EF Core migrations written as EF writes them, linted with the SQL EF generates for them.</summary>
public class MigrationLintTests
{
    [Fact]
    public void Safe_migrations_pass_the_assertion()
    {
        using var db = TestContext.Postgres<SafeContext>();

        var report = StepwiseEf.AssertMigrationsSafe(db);

        Assert.Equal(["20250101000000_Initial", "20250102000000_AddNickname", "20250103000000_IndexEmailConcurrently"], report.Migrations);
        Assert.Empty(report.Findings);
        // EF's own SQL, with the concurrent index outside its transaction
        Assert.Contains("CREATE INDEX CONCURRENTLY \"IX_Users_Email\"", report.Sql["20250103000000_IndexEmailConcurrently"], StringComparison.Ordinal);
    }

    [Fact]
    public void CreateIndex_on_a_table_of_an_earlier_migration_fails_naming_the_migration()
    {
        using var db = TestContext.Postgres<PlainIndexContext>();

        var error = Assert.Throws<UnsafeMigrationException>(() => StepwiseEf.AssertMigrationsSafe(db));

        var finding = Assert.Single(error.Report.Findings);
        Assert.Equal("non-concurrent-index", finding.Rule);
        Assert.Equal("20250202000000_AddEmailIndex", finding.MigrationId);
        Assert.Equal(typeof(AddEmailIndex), finding.MigrationType);
        Assert.Equal("CREATE UNIQUE INDEX \"IX_Users_Email\" ON \"Users\" (\"Email\")", finding.Statement);
        Assert.Contains("20250202000000_AddEmailIndex (Stepwise.EntityFrameworkCore.Tests.AddEmailIndex): error[non-concurrent-index]", error.Message, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX \"IX_Users_Email\"", error.Message, StringComparison.Ordinal);
        // the index in the migration that creates the table is fine
        Assert.DoesNotContain("IX_Users_Name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RenameColumn_fails_naming_the_migration()
    {
        using var db = TestContext.Postgres<RenameContext>();

        var error = Assert.Throws<UnsafeMigrationException>(() => db.Database.AssertMigrationsSafe());

        var finding = Assert.Single(error.Report.Findings);
        Assert.Equal("rename-column", finding.Rule);
        Assert.Equal("20250303000000_RenameNameToFullName", finding.MigrationId);
        Assert.Equal(typeof(RenameNameToFullName), finding.MigrationType);
        Assert.Equal("ALTER TABLE \"Users\" RENAME COLUMN \"Name\" TO \"FullName\"", finding.Statement);
    }

    [Fact]
    public void AlterColumn_to_another_type_fails_naming_the_migration()
    {
        using var db = TestContext.Postgres<AlterTypeContext>();

        var error = Assert.Throws<UnsafeMigrationException>(() => StepwiseEf.AssertMigrationsSafe(db));

        var finding = Assert.Single(error.Report.Findings);
        Assert.Equal("changing-column-type", finding.Rule);
        Assert.Contains("ALTER COLUMN \"Name\" TYPE integer", finding.Statement, StringComparison.Ordinal);
        Assert.Equal("20250404000000_NameToInteger", finding.MigrationId);
        Assert.Equal(typeof(NameToInteger), finding.MigrationType);
    }

    [Fact]
    public void CONCURRENTLY_without_suppressTransaction_is_inside_EFs_transaction()
    {
        using var db = TestContext.Postgres<ConcurrentlyInTransactionContext>();

        var error = Assert.Throws<UnsafeMigrationException>(() => StepwiseEf.AssertMigrationsSafe(db));

        var finding = Assert.Single(error.Report.Findings);
        Assert.Equal("concurrently-in-transaction", finding.Rule);
        Assert.Equal("20250505000000_ConcurrentIndexInTransaction", finding.MigrationId);
    }

    [Fact]
    public void The_SQL_comment_form_suppresses_the_next_operation()
    {
        using var db = TestContext.Postgres<SqlCommentSuppressedContext>();

        var report = StepwiseEf.AssertMigrationsSafe(db, new EfLintOptions { FailOnWarnings = true });

        Assert.Empty(report.Findings);
        Assert.Contains("RENAME COLUMN", report.Sql["20250606000000_RenameWithComment"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_attribute_suppresses_its_rule_for_the_migration()
    {
        using var db = TestContext.Postgres<AttributeSuppressedContext>();

        var report = StepwiseEf.AssertMigrationsSafe(db, new EfLintOptions { FailOnWarnings = true });

        Assert.Empty(report.Findings);
    }

    [Fact]
    public void An_attribute_that_matches_nothing_is_reported()
    {
        using var db = TestContext.Postgres<UnusedAttributeContext>();

        var report = StepwiseEf.LintMigrations(db);

        var finding = Assert.Single(report.Findings);
        Assert.Equal("unused-suppression", finding.Rule);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(typeof(UnusedAttributeInitial), finding.MigrationType);
        // a warning does not fail the assertion unless asked to
        StepwiseEf.AssertMigrationsSafe(db);
        Assert.Throws<UnsafeMigrationException>(() => StepwiseEf.AssertMigrationsSafe(db, new EfLintOptions { FailOnWarnings = true }));
    }

    [Fact]
    public void A_baseline_replays_earlier_migrations_without_reporting_them()
    {
        using var db = TestContext.Postgres<PlainIndexContext>();

        Assert.Empty(StepwiseEf.LintMigrations(db, new EfLintOptions { Baseline = "AddEmailIndex" }).Findings);
        Assert.Single(StepwiseEf.LintMigrations(db, new EfLintOptions { Baseline = "20250101000000_Initial" }).Findings);
    }

    [Fact]
    public void Rule_severities_can_be_overridden()
    {
        using var db = TestContext.Postgres<RenameContext>();

        var report = StepwiseEf.AssertMigrationsSafe(db, new EfLintOptions { RuleSeverities = new Dictionary<string, Severity?> { ["rename-column"] = null } });

        Assert.Empty(report.Findings);
    }

    [Fact]
    public void SQLite_RenameColumn_fails_and_a_nullable_column_passes()
    {
        using var rename = TestContext.Sqlite<SqliteRenameContext>();
        var error = Assert.Throws<UnsafeMigrationException>(() => StepwiseEf.AssertMigrationsSafe(rename));
        var finding = Assert.Single(error.Report.Findings);
        Assert.Equal("rename-column", finding.Rule);
        Assert.Equal("20250808000000_SqliteRenameName", finding.MigrationId);

        using var safe = TestContext.Sqlite<SqliteSafeContext>();
        Assert.Empty(StepwiseEf.AssertMigrationsSafe(safe, new EfLintOptions { FailOnWarnings = true }).Findings);
    }

    [Fact]
    public void Providers_map_to_dialects_and_others_are_refused()
    {
        Assert.Equal(SqlDialect.PostgreSql, StepwiseEf.DialectOf("Npgsql.EntityFrameworkCore.PostgreSQL"));
        Assert.Equal(SqlDialect.Sqlite, StepwiseEf.DialectOf("Microsoft.EntityFrameworkCore.Sqlite"));
        Assert.Equal(SqlDialect.MySql, StepwiseEf.DialectOf("Pomelo.EntityFrameworkCore.MySql"));
        Assert.Throws<NotSupportedException>(() => StepwiseEf.DialectOf("Microsoft.EntityFrameworkCore.SqlServer"));
    }
}
