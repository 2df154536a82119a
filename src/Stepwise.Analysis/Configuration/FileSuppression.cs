using Stepwise.Analysis.Reporting;

namespace Stepwise.Analysis.Configuration;

/// <summary>
/// An `[[ignore]]` entry of stepwise.toml: silences rules for one migration without touching the file,
/// so a migration applied long ago keeps its checksum (a `-- stepwise:ignore` comment added to it would
/// make `status` report it changed and `up` refuse).
/// <code>
/// [[ignore]]
/// version = "20240105120000"        # or: file = "20240105120000_drop_legacy.up.sql" (a name or a path ending)
/// rules = ["drop-column"]            # or ["all"]
/// reason = "applied in 2023, before Stepwise checked this folder"
/// </code>
/// A version matches the up and the down of that migration; `file` matches exactly that file.
/// </summary>
public sealed record FileSuppression(string? Version, string? File, IReadOnlySet<string> Rules, string Reason, string Origin)
{
    public bool AllRules => Rules.Contains("all");

    public bool Covers(string rule) => AllRules ? rule != Linter.UnusedSuppressionRule : Rules.Contains(rule);

    public bool Matches(LintInput input)
    {
        if (Version is not null)
        {
            return input.Version is not null && string.Equals(NormalizeVersion(Version), input.Version, StringComparison.Ordinal);
        }

        var path = input.Source.Path.Replace('\\', '/');
        var file = File!.Replace('\\', '/').TrimStart('.', '/');
        return path.Equals(file, StringComparison.Ordinal) || path.EndsWith("/" + file, StringComparison.Ordinal);
    }

    /// <summary>"0042" → "42", "1_2" and "1.2.0" → "1.2": versions compare as numbers, as the layouts order them.</summary>
    public static string NormalizeVersion(string version)
    {
        var parts = version.Trim().Split(['.', '_']);
        if (parts.Any(p => p.Length == 0 || !p.All(char.IsAsciiDigit)))
        {
            return version.Trim();
        }

        var numbers = parts.Select(p => p.TrimStart('0') is { Length: > 0 } t ? t : "0").ToList();
        while (numbers.Count > 1 && numbers[^1] == "0")
        {
            numbers.RemoveAt(numbers.Count - 1);
        }

        return string.Join('.', numbers);
    }

    internal Finding Unused() =>
        new(Linter.UnusedSuppressionRule, Severity.Warning, new Stepwise.Sql.SourceText(string.Empty, Origin), new Stepwise.Sql.TextSpan(0, 0),
            $"[[ignore]] of {string.Join(", ", Rules)} for {(Version is null ? "file " + File : "version " + Version)} matches no finding",
            "Remove the entry from stepwise.toml, or fix its version, file or rules.");
}
