namespace Stepwise.Analysis.Reporting;

/// <summary>What the caller tells the formatters beyond the report itself.</summary>
public sealed record ReportOptions
{
    /// <summary>The rule catalogue. SARIF lists every one of these as the driver's rules.</summary>
    public IReadOnlyList<RuleInfo> Rules { get; init; } = [];

    /// <summary>Use ANSI colours in the text format (the caller decides: terminal, NO_COLOR, --color).</summary>
    public bool Color { get; init; }

    /// <summary>The version of the stepwise tool, written into SARIF's tool.driver.version.</summary>
    public string ToolVersion { get; init; } = "0.0.0";

    /// <summary>The tool's home page for SARIF's tool.driver.informationUri; omitted when null.</summary>
    public string? InformationUri { get; init; }
}
