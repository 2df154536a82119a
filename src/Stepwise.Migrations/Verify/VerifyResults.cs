using Stepwise.Migrations.Running;
using Stepwise.Migrations.Schema;

namespace Stepwise.Migrations.Verify;

/// <summary>How `verify` or `diff` ended.</summary>
public enum VerifyOutcome
{
    /// <summary>Nothing found.</summary>
    Clean,

    /// <summary>Problems (verify) or drift (diff) found.</summary>
    Problems,

    /// <summary>Bad input or no connection (the folder, the scratch server, the live database).</summary>
    InputError,
}

/// <summary>What `verify` found wrong with a migration.</summary>
public enum VerifyProblemKind
{
    /// <summary>The schema after up then down differs from the schema before up.</summary>
    DownDoesNotRestore,

    /// <summary>The migration has no down script.</summary>
    MissingDown,

    /// <summary>Up failed when run again after its down.</summary>
    NotRerunnable,

    /// <summary>Up run again after its down gave another schema than the first up.</summary>
    RerunDiffers,

    /// <summary>Rows or values that existed before up were gone after down.</summary>
    DataLost,

    /// <summary>Up failed the first time (verification stopped there).</summary>
    UpFailed,

    /// <summary>Down failed (verification stopped there).</summary>
    DownFailed,
}

/// <summary>Rows a down migration threw away in one table.</summary>
/// <param name="Table">The table.</param>
/// <param name="RowsBefore">Rows before up.</param>
/// <param name="RowsAfter">Rows after down.</param>
/// <param name="RowsMissing">Rows before up (by primary key, else by count) not there after down.</param>
/// <param name="ValuesChanged">Non-NULL values that differ after down.</param>
/// <param name="Columns">The columns whose values differ.</param>
public sealed record DataLoss(string Table, int RowsBefore, int RowsAfter, int RowsMissing, int ValuesChanged, IReadOnlyList<string> Columns);

/// <summary>One problem with one migration.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Version">The migration's version.</param>
/// <param name="Name">Its name.</param>
public sealed record VerifyProblem(VerifyProblemKind Kind, string Version, string Name)
{
    /// <summary>For <see cref="VerifyProblemKind.DownDoesNotRestore"/> (expected: before up; actual: after down) and
    /// <see cref="VerifyProblemKind.RerunDiffers"/> (expected: after the first up; actual: after the second).</summary>
    public IReadOnlyList<SchemaDifference> Differences { get; init; } = [];

    /// <summary>For <see cref="VerifyProblemKind.DataLost"/>.</summary>
    public IReadOnlyList<DataLoss> Losses { get; init; } = [];

    /// <summary>For a failed up or down: the runner's result (failure, statement, message).</summary>
    public RunResult? Run { get; init; }
}

/// <summary>What `verify` did with one migration.</summary>
/// <param name="Version">The migration's version.</param>
/// <param name="Name">Its name.</param>
/// <param name="RoundTrip">True when up → down → up ran; false when it was only applied (not pending, or no down).</param>
public sealed record VerifiedMigration(string Version, string Name, bool RoundTrip);

/// <summary>The result of `verify`.</summary>
/// <param name="Outcome">How it ended.</param>
public sealed record VerifyResult(VerifyOutcome Outcome)
{
    /// <summary>The problems, in migration order.</summary>
    public IReadOnlyList<VerifyProblem> Problems { get; init; } = [];

    /// <summary>The migrations handled, in order.</summary>
    public IReadOnlyList<VerifiedMigration> Migrations { get; init; } = [];

    /// <summary>Migrations not reached because an earlier one failed.</summary>
    public int NotReached { get; init; }

    /// <summary>Tables that could not be seeded, with the reason (their data was not checked).</summary>
    public IReadOnlyList<string> SeedNotes { get; init; } = [];

    /// <summary>For <see cref="VerifyOutcome.InputError"/>: why (runner problems, already scrubbed of secrets).</summary>
    public IReadOnlyList<RunProblem> InputProblems { get; init; } = [];

    /// <summary>The scratch database used (redacted).</summary>
    public string? Scratch { get; init; }
}

/// <summary>The result of `diff`: the live schema against the schema its applied migrations produce.</summary>
/// <param name="Outcome">How it ended.</param>
public sealed record DriftResult(VerifyOutcome Outcome)
{
    /// <summary>Expected: replayed on the scratch database; actual: the live database.</summary>
    public IReadOnlyList<SchemaDifference> Differences { get; init; } = [];

    /// <summary>How many migrations were replayed.</summary>
    public int Replayed { get; init; }

    /// <summary>True when the live database has no Stepwise journal (or nothing in it), so every migration was replayed.</summary>
    public bool NoJournal { get; init; }

    /// <summary>For <see cref="VerifyOutcome.InputError"/>: why.</summary>
    public IReadOnlyList<RunProblem> InputProblems { get; init; } = [];

    /// <summary>The live database (redacted).</summary>
    public string? Database { get; init; }
}

/// <summary>Progress of `verify` and `diff`.</summary>
/// <param name="Version">The migration being handled.</param>
/// <param name="Name">Its name.</param>
/// <param name="Step">What is being done: <c>up</c>, <c>down</c>, <c>up again</c>, <c>apply</c>.</param>
public sealed record VerifyEvent(string Version, string Name, string Step);
