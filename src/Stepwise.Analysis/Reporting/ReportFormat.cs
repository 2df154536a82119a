namespace Stepwise.Analysis.Reporting;

/// <summary>The output formats of <c>stepwise lint</c>.</summary>
public enum ReportFormat
{
    Text,
    Json,
    Sarif,
    GitHub,
    Markdown,
    GitLab,
}

public static class ReportFormats
{
    /// <summary>The names accepted on the command line, in the order help should list them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["text", "json", "sarif", "github", "markdown", "gitlab"];

    public static string Name(this ReportFormat format) => format switch
    {
        ReportFormat.Json => "json",
        ReportFormat.Sarif => "sarif",
        ReportFormat.GitHub => "github",
        ReportFormat.Markdown => "markdown",
        ReportFormat.GitLab => "gitlab",
        _ => "text",
    };

    /// <summary>Parses "text|json|sarif|github|markdown|gitlab" (case-insensitive, surrounding blanks ignored).</summary>
    public static bool TryParse(string? text, out ReportFormat format)
    {
        var name = text?.Trim() ?? string.Empty;
        foreach (var candidate in Enum.GetValues<ReportFormat>())
        {
            if (string.Equals(candidate.Name(), name, StringComparison.OrdinalIgnoreCase))
            {
                format = candidate;
                return true;
            }
        }

        format = ReportFormat.Text;
        return false;
    }
}
