namespace Stepwise.Migrations.Layouts;

/// <summary>How serious a <see cref="LayoutProblem"/> is.</summary>
public enum ProblemSeverity
{
    /// <summary>Worth knowing, not blocking: e.g. a file the tool itself would ignore, or an order it would not expect.</summary>
    Warning,

    /// <summary>The folder or one of its files cannot be used as the layout requires.</summary>
    Error,

    /// <summary>Information about how a folder was read (lint shows it as an info finding).</summary>
    Note,
}

/// <summary>Something wrong with a migration folder or one of its files, reported as a value.</summary>
/// <param name="Path">The display path of the file or folder concerned.</param>
/// <param name="Message">What is wrong, for the user.</param>
/// <param name="Severity">How serious it is.</param>
public sealed record LayoutProblem(string Path, string Message, ProblemSeverity Severity)
{
    /// <summary><c>path: error|warning|note: message</c>.</summary>
    public override string ToString() =>
        $"{Path}: {Severity switch { ProblemSeverity.Error => "error", ProblemSeverity.Note => "note", _ => "warning" }}: {Message}";
}
