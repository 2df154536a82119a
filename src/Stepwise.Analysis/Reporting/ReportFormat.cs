namespace Stepwise.Analysis.Reporting;

/// <summary>The output formats of <c>stepwise lint</c>.</summary>
public enum ReportFormat
{
    /// <summary>Human-readable text with source excerpts.</summary>
    Text,

    /// <summary>The findings as JSON.</summary>
    Json,

    /// <summary>SARIF 2.1.0, for code-scanning tools.</summary>
    Sarif,

    /// <summary>GitHub Actions workflow commands (annotations on the pull request).</summary>
    GitHub,

    /// <summary>Markdown, for a pull-request comment or job summary.</summary>
    Markdown,

    /// <summary>GitLab Code Quality JSON, for merge-request widgets.</summary>
    GitLab,
}

/// <summary>The command-line names of <see cref="ReportFormat"/> values.</summary>
public static class ReportFormats
{
    /// <summary>The names accepted on the command line, in the order help should list them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["text", "json", "sarif", "github", "markdown", "gitlab"];

    /// <summary>The command-line name: text, json, sarif, github or markdown.</summary>
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
