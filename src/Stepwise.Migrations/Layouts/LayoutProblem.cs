namespace Stepwise.Migrations.Layouts;

public enum ProblemSeverity
{
    Warning,
    Error,

    /// <summary>Information about how a folder was read (lint shows it as an info finding).</summary>
    Note,
}

/// <summary>Something wrong with a migration folder or one of its files, reported as a value.</summary>
/// <param name="Path">The display path of the file or folder concerned.</param>
public sealed record LayoutProblem(string Path, string Message, ProblemSeverity Severity)
{
    public override string ToString() =>
        $"{Path}: {Severity switch { ProblemSeverity.Error => "error", ProblemSeverity.Note => "note", _ => "warning" }}: {Message}";
}
