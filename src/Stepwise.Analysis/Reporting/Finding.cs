using Stepwise.Sql;

namespace Stepwise.Analysis.Reporting;

public enum Severity
{
    Info,
    Warning,
    Error,
}

public static class Severities
{
    public static string Name(this Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "info",
    };

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
/// <param name="Help">The safe alternative, one or two sentences.</param>
public sealed record Finding(
    string Rule,
    Severity Severity,
    SourceText Source,
    TextSpan Span,
    string Message,
    string Help,
    Fix? Fix = null)
{
    public string Path => Source.Path;

    public LinePosition Start => Source.GetLinePosition(Span.Start);

    /// <summary>The position just after the span (as in SARIF's endColumn).</summary>
    public LinePosition End => Source.GetLinePosition(Span.End);
}

/// <summary>What a lint run produced, in report order (path, then position).</summary>
public sealed record LintReport(int Files, IReadOnlyList<Finding> Findings)
{
    public bool HasErrors => Findings.Any(f => f.Severity == Severity.Error);
}
