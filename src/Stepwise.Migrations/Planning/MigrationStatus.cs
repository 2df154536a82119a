using Stepwise.Engines;
using Stepwise.Migrations.Layouts;

namespace Stepwise.Migrations.Running;

/// <summary>A migration's state as <c>status</c> shows it.</summary>
public enum MigrationStatusKind
{
    /// <summary>Applied, and its file is unchanged.</summary>
    Applied,

    /// <summary>Not applied yet.</summary>
    Pending,

    /// <summary>Applied, but its file changed since.</summary>
    Changed,

    /// <summary>Applied, but no file has its version.</summary>
    Missing,

    /// <summary>Failed, or interrupted (killed runner, lost connection) with nobody running it now.</summary>
    Failed,

    /// <summary>Flyway baseline migrations: a <c>B</c> script not used (the database already had history, or a
    /// newer one was chosen), or a <c>V</c> script at or below the baseline that was applied instead.</summary>
    Skipped,

    /// <summary>Being applied right now by another runner, which holds the migration lock.</summary>
    Running,

    /// <summary>An expand/contract migration whose expand phase is done (since <see cref="JournalEntry.AppliedAt"/>):
    /// the old and the new release both run until <c>complete</c> or <c>abort</c>.</summary>
    Expanded,

    /// <summary>An expand/contract migration whose <c>complete</c> was interrupted: <c>complete</c> again finishes it.</summary>
    Completing,

    /// <summary>An expand/contract migration whose <c>abort</c> was interrupted: <c>abort</c> again finishes it.</summary>
    Aborting,
}

/// <summary>One migration (or journal row without a file) and its state.</summary>
/// <param name="Version">The version as journaled.</param>
/// <param name="Name">Its name.</param>
/// <param name="State">Its state.</param>
/// <param name="Journal">Its journal row, if any.</param>
/// <param name="File">Its migration file, if any.</param>
public sealed record MigrationStatus(string Version, string Name, MigrationStatusKind State, JournalEntry? Journal, Migration? File)
{
    /// <summary>The state's name as <c>status</c> prints it and JSON carries it.</summary>
    public static string StateName(MigrationStatusKind state) => state switch
    {
        MigrationStatusKind.Applied => "applied",
        MigrationStatusKind.Pending => "pending",
        MigrationStatusKind.Changed => "changed",
        MigrationStatusKind.Missing => "missing",
        MigrationStatusKind.Skipped => "skipped",
        MigrationStatusKind.Running => "running",
        MigrationStatusKind.Expanded => "expanded",
        MigrationStatusKind.Completing => "completing",
        MigrationStatusKind.Aborting => "aborting",
        _ => "failed",
    };
}
