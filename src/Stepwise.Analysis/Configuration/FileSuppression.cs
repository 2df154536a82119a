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
/// <param name="Version">The migration version the entry names, or null when it names a file.</param>
/// <param name="File">The file name or path ending the entry names, or null when it names a version.</param>
/// <param name="Rules">The rule names silenced; "all" silences every rule but unused-suppression.</param>
/// <param name="Reason">Why the findings are accepted (required in the file).</param>
/// <param name="Origin">The path of the stepwise.toml the entry came from, where an unused entry is reported.</param>
public sealed record FileSuppression(string? Version, string? File, IReadOnlySet<string> Rules, string Reason, string Origin)
{
    /// <summary>The entry lists "all".</summary>
    public bool AllRules => Rules.Contains("all");

    /// <summary>True when findings of <paramref name="rule"/> are silenced by this entry.</summary>
    public bool Covers(string rule) => AllRules ? rule != Linter.UnusedSuppressionRule : Rules.Contains(rule);

    /// <summary>True when the entry names this input: by normalised version, or by a path equal to or ending
    /// in the entry's file.</summary>
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
