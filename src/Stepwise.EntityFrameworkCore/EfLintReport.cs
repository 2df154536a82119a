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
    /// <summary>The rule's name (e.g. rename-column), as <c>stepwise explain</c> knows it.</summary>
    public string Rule => Finding.Rule;

    /// <summary>The finding's severity.</summary>
    public Severity Severity => Finding.Severity;

    /// <summary>The migration id and class, severity, rule and message, then the statement (indented) and the help line.</summary>
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
/// <param name="Findings">The lint's findings, in migration order, each with its migration and statement.</param>
public sealed record EfLintReport(IReadOnlyList<string> Migrations, IReadOnlyDictionary<string, string> Sql, IReadOnlyList<EfMigrationFinding> Findings)
{
    /// <summary>True when a finding has error severity.</summary>
    public bool HasErrors => Findings.Any(f => f.Severity == Severity.Error);

    /// <summary>A summary line (counts of findings, errors and migrations), each finding, and how to suppress one.</summary>
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
    /// <summary>An exception with the default message and an empty <see cref="Report"/>.</summary>
    public UnsafeMigrationException()
    {
        Report = new EfLintReport([], new Dictionary<string, string>(), []);
    }

    /// <summary>An exception with the given message and an empty <see cref="Report"/>.</summary>
    /// <param name="message">The exception's message.</param>
    public UnsafeMigrationException(string message)
        : base(message)
    {
        Report = new EfLintReport([], new Dictionary<string, string>(), []);
    }

    /// <summary>An exception with the given message and cause, and an empty <see cref="Report"/>.</summary>
    /// <param name="message">The exception's message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public UnsafeMigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Report = new EfLintReport([], new Dictionary<string, string>(), []);
    }

    /// <summary>The exception for a report with failing findings; its message is the report's <see cref="EfLintReport.ToString"/>.</summary>
    /// <param name="report">The report, holding only the failing findings (not null).</param>
    public UnsafeMigrationException(EfLintReport report)
        : base(report?.ToString())
    {
        ArgumentNullException.ThrowIfNull(report);
        Report = report;
    }

    /// <summary>The lint report, holding only the findings that failed the assertion.</summary>
    public EfLintReport Report { get; }
}
