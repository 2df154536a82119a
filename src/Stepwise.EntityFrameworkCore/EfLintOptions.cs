using Stepwise.Analysis;
using Stepwise.Analysis.Reporting;

namespace Stepwise.EntityFrameworkCore;

/// <summary>What <see cref="StepwiseEf"/> lints against and what fails the assertion.</summary>
public sealed record EfLintOptions
{
    /// <summary>Target PostgreSQL major version (default 15).</summary>
    public int PgVersion { get; init; } = 15;

    /// <summary>Target MySQL/MariaDB version (default MySQL 8.0).</summary>
    public MySqlTarget MySql { get; init; } = MySqlTarget.Default;

    /// <summary>Per-rule severity overrides; a null severity turns the rule off (as [rules] in stepwise.toml).</summary>
    public IReadOnlyDictionary<string, Severity?> RuleSeverities { get; init; } = new Dictionary<string, Severity?>(StringComparer.Ordinal);

    /// <summary>Migrations up to and including this id (or name) are replayed into the schema but not reported:
    /// they are applied everywhere already. Default: every migration is reported.</summary>
    public string? Baseline { get; init; }

    /// <summary>Fail the assertion on warnings too, not only on errors.</summary>
    public bool FailOnWarnings { get; init; }
}
