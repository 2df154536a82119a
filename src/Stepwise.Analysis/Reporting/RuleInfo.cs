namespace Stepwise.Analysis.Reporting;

/// <summary>What the report formatters know of a rule (SARIF lists them; markdown links their docs).</summary>
/// <param name="Name">The stable kebab-case rule name.</param>
/// <param name="Title">A one-line description, used as SARIF's shortDescription.</param>
/// <param name="DefaultSeverity">The severity unless the configuration overrides it.</param>
/// <param name="Help">The safe alternative, as printed with each finding.</param>
/// <param name="DocUri">Where the rule's documentation lives, if anywhere.</param>
public sealed record RuleInfo(string Name, string Title, Severity DefaultSeverity, string Help, string? DocUri);
