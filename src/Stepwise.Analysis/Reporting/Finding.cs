using Stepwise.Sql;

namespace Stepwise.Analysis.Reporting;

/// <summary>How serious a finding is. Only errors make <c>stepwise lint</c> exit with the findings code.</summary>
public enum Severity
{
    /// <summary>Reported for information only.</summary>
    Info,

    /// <summary>Reported, but does not fail the run.</summary>
    Warning,

    /// <summary>Fails the lint run.</summary>
    Error,
}

/// <summary>The user-facing names of <see cref="Severity"/> values.</summary>
public static class Severities
{
    /// <summary>The lower-case name: error, warning or info.</summary>
    public static string Name(this Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "info",
    };

    /// <summary>Parses error, warning (or warn), info (or note), case-insensitive, surrounding blanks ignored.</summary>
    public static bool TryParse(string? text, out Severity severity)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "error":
                severity = Severity.Error;
                return true;
            case "warning" or "warn":
                severity = Severity.Warning;
                return true;
            case "info" or "note":
                severity = Severity.Info;
                return true;
            default:
                severity = Severity.Info;
                return false;
        }
    }
}

/// <summary>One replacement of a span of the source text.</summary>
public sealed record TextEdit(TextSpan Span, string NewText);

/// <summary>A mechanical fix: apply all edits (non-overlapping) to the source text.</summary>
public sealed record Fix(string Title, IReadOnlyList<TextEdit> Edits)
{
    /// <summary>The text with every edit applied (edits are applied from the end, so spans stay valid).</summary>
    public string Apply(string text)
    {
        var sb = new System.Text.StringBuilder(text);
        foreach (var edit in Edits.OrderByDescending(e => e.Span.Start))
        {
            sb.Remove(edit.Span.Start, edit.Span.Length).Insert(edit.Span.Start, edit.NewText);
        }

        return sb.ToString();
    }
}

/// <summary>
/// One lint result. Line and column are computed from the source only when reported.
/// </summary>
/// <param name="Rule">The stable kebab-case rule name (or "syntax-error", "unused-suppression").</param>
/// <param name="Severity">The severity, after configuration overrides.</param>
/// <param name="Source">The file the finding is in.</param>
/// <param name="Span">What the finding points at in the source.</param>
/// <param name="Message">What is wrong here, one sentence.</param>
/// <param name="Help">The safe alternative, one or two sentences.</param>
/// <param name="Fix">A mechanical fix, when one is known.</param>
public sealed record Finding(
    string Rule,
    Severity Severity,
    SourceText Source,
    TextSpan Span,
    string Message,
    string Help,
    Fix? Fix = null)
{
    /// <summary>The path of the file, as the source gives it.</summary>
    public string Path => Source.Path;

    /// <summary>The table the finding's statement acts on, as a schema key (unquoted, qualified outside the default
    /// schema), when the linter can tell; null otherwise.</summary>
    public string? Table { get; init; }

    /// <summary>The size of <see cref="Table"/> in the database, when linted with one (<see cref="SizeAwareLint"/>).</summary>
    public TableSizeNote? Size { get; init; }

    /// <summary>The rule's severity before size-aware lint lowered it to info (a locking finding on a small or new
    /// table); null when the severity was not changed.</summary>
    public Severity? LoweredFrom { get; init; }

    /// <summary>Why the severity was lowered, one phrase; null when it was not.</summary>
    public string? LoweredBecause { get; init; }

    /// <summary>The 1-based line and column where the span starts.</summary>
    public LinePosition Start => Source.GetLinePosition(Span.Start);

    /// <summary>The position just after the span (as in SARIF's endColumn).</summary>
    public LinePosition End => Source.GetLinePosition(Span.End);
}

/// <summary>What a lint run produced, in report order (path, then position).</summary>
public sealed record LintReport(int Files, IReadOnlyList<Finding> Findings)
{
    /// <summary>True when any finding has <see cref="Severity.Error"/>.</summary>
    public bool HasErrors => Findings.Any(f => f.Severity == Severity.Error);
}
