using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Stepwise.Analysis;
using Stepwise.Migrations;
using Stepwise.Sql;

namespace Stepwise.EntityFrameworkCore.Tests;

/// <summary>`dotnet ef migrations script | stepwise lint -` and <see cref="StepwiseEf"/> agree: the whole
/// script EF writes (plain and idempotent), split on its history rows, gives the same findings per migration.</summary>
public class ScriptAgreementTests
{
    public static TheoryData<string> Contexts => [nameof(PlainIndexContext), nameof(RenameContext), nameof(AlterTypeContext), nameof(SafeContext), nameof(ConcurrentlyInTransactionContext)];

    [Theory]
    [MemberData(nameof(Contexts))]
    public void The_split_plain_script_gives_the_library_findings(string name)
    {
        using var db = Create(name);
        var expected = StepwiseEf.LintMigrations(db).Findings.Select(f => (f.MigrationId, f.Rule)).ToList();

        var script = db.GetService<IMigrator>().GenerateScript();

        Assert.Equal(expected, LintScript(script));
    }

    [Fact]
    public void The_idempotent_script_reports_the_plain_index_in_its_migration()
    {
        using var db = Create(nameof(PlainIndexContext));

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Equal([("20250202000000_AddEmailIndex", "non-concurrent-index")], LintScript(script));
    }

    private static List<(string MigrationId, string Rule)> LintScript(string script)
    {
        var source = new SourceText(script, "-");
        var blocks = EfMigrationScript.Split(source, SqlDialect.PostgreSql);
        var report = Linter.Lint(EfMigrationScript.SplitInputs([new LintInput(source)], SqlDialect.PostgreSql), new LintOptions());
        return report.Findings.Select(f => (blocks.Single(b => b.Span.Start <= f.Span.Start && f.Span.Start < b.Span.End).MigrationId, f.Rule)).ToList();
    }

    private static DbContext Create(string name) => name switch
    {
        nameof(PlainIndexContext) => TestContext.Postgres<PlainIndexContext>(),
        nameof(RenameContext) => TestContext.Postgres<RenameContext>(),
        nameof(AlterTypeContext) => TestContext.Postgres<AlterTypeContext>(),
        nameof(SafeContext) => TestContext.Postgres<SafeContext>(),
        _ => TestContext.Postgres<ConcurrentlyInTransactionContext>(),
    };
}
