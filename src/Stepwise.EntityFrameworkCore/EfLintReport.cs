using System.Globalization;
using System.Text;
using Stepwise.Analysis.Reporting;

namespace Stepwise.EntityFrameworkCore;

/// <summary>One finding in one EF Core migration.</summary>
/// <param name="MigrationId">The migration's id, e.g. 20250101120000_AddEmailIndex.</param>
/// <param name="MigrationType">The migration class.</param>
/// <param name="Statement">The SQL statement EF generates for it (as the linter saw it).</param>
/// <param name="Finding">The rule, severity, message and safe alternative; its source is the migration's SQL.</param>
public sealed record EfMigrationFinding(string MigrationId, Type MigrationType, string Statement, Finding Finding)
{
    public string Rule => Finding.Rule;

    public Severity Severity => Finding.Severity;

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{MigrationId} ({MigrationType.FullName}): {Finding.Severity.Name()}[{Finding.Rule}] {Finding.Message}");
        foreach (var line in Statement.Split('\n'))
        {
            sb.Append("\n    ").Append(line.TrimEnd('\r'));
        }

        if (Finding.Help.Length > 0)
        {
            sb.Append("\n    = help: ").Append(Finding.Help);
        }

        return sb.ToString();
    }
}

/// <summary>The lint of a DbContext's migrations, in migration order.</summary>
/// <param name="Migrations">The migration ids that were linted (every migration of the context, in order).</param>
/// <param name="Sql">Each migration's SQL as EF generates it for the provider (id → script).</param>
public sealed record EfLintReport(IReadOnlyList<string> Migrations, IReadOnlyDictionary<string, string> Sql, IReadOnlyList<EfMigrationFinding> Findings)
{
    public bool HasErrors => Findings.Any(f => f.Severity == Severity.Error);

    public override string ToString()
    {
        if (Findings.Count == 0)
        {
            return $"No problems found in {Migrations.Count} EF Core migration(s).";
        }

        var errors = Findings.Count(f => f.Severity == Severity.Error);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Findings.Count} finding(s) ({errors} error(s)) in {Findings.Select(f => f.MigrationId).Distinct().Count()} of {Migrations.Count} EF Core migration(s):");
        foreach (var finding in Findings)
        {
            sb.Append("\n\n").Append(finding);
        }

        sb.Append("\n\nSuppress one with migrationBuilder.Sql(\"-- stepwise:ignore <rule> <reason>\") just before the operation, or [StepwiseIgnore(\"<rule>\", \"<reason>\")] on the migration class; `stepwise explain <rule>` tells the safe way.");
        return sb.ToString();
    }
}

/// <summary>Thrown by <see cref="StepwiseEf.AssertMigrationsSafe"/>: the message lists every failing finding.</summary>
public sealed class UnsafeMigrationException : Exception
{
    public UnsafeMigrationException()
    {
        Report = new EfLintReport([], new Dictionary<string, string>(), []);
    }

    public UnsafeMigrationException(string message)
        : base(message)
    {
        Report = new EfLintReport([], new Dictionary<string, string>(), []);
    }

    public UnsafeMigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Report = new EfLintReport([], new Dictionary<string, string>(), []);
    }

    public UnsafeMigrationException(EfLintReport report)
        : base(report?.ToString())
    {
        ArgumentNullException.ThrowIfNull(report);
        Report = report;
    }

    public EfLintReport Report { get; }
}
