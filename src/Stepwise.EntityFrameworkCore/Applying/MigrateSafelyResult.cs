using System.Globalization;
using Stepwise.Engines;
using Stepwise.Migrations.Running;

namespace Stepwise.EntityFrameworkCore;

/// <summary>An EF Core migration that failed, with everything a caller needs to act on it.</summary>
/// <param name="MigrationId">The migration's id, e.g. 20250101120000_AddEmailIndex.</param>
/// <param name="StatementIndex">0-based index of the failing statement among the migration's statements as EF
/// generates them (null: the history row, or outside a statement).</param>
/// <param name="StatementCount">How many statements the migration has.</param>
/// <param name="Statement">The failing statement's text.</param>
/// <param name="Kind">How the engine classified the error.</param>
/// <param name="SqlState">SQLSTATE (PostgreSQL) or result code (SQLite), when known.</param>
/// <param name="Message">The database's message, scrubbed of secrets.</param>
/// <param name="StatementsApplied">Statements of this migration that committed before the failure and stay
/// applied (only statements EF runs outside its transaction, <c>suppressTransaction</c>, or before one). When
/// this is not zero the migration is half-done and EF's history does not list it: look before running again.</param>
/// <param name="Retries">Lock-timeout retries made before giving up.</param>
public sealed record EfMigrationFailure(
    string MigrationId,
    int? StatementIndex,
    int StatementCount,
    string? Statement,
    ErrorKind Kind,
    string? SqlState,
    string Message,
    int StatementsApplied,
    int Retries)
{
    /// <summary>One line: the migration id, the failing statement's position, retries, error kind, SQLSTATE and message.</summary>
    public override string ToString()
    {
        var at = StatementIndex is { } i ? string.Create(CultureInfo.InvariantCulture, $" at statement {i + 1} of {StatementCount}") : string.Empty;
        var state = SqlState is null ? string.Empty : $" ({SqlState})";
        var retries = Retries > 0 ? string.Create(CultureInfo.InvariantCulture, $" after {Retries} lock-timeout retries") : string.Empty;
        return $"EF Core migration {MigrationId} failed{at}{retries}: {Kind}{state}: {Message}";
    }
}

/// <summary>The lint gate refused: pending migrations have error findings (and <see cref="MigrateSafelyOptions.AllowUnsafe"/>
/// is off). Nothing was applied.</summary>
/// <param name="Report">The error findings of the pending migrations.</param>
public sealed record EfLintRefused(EfLintReport Report) : RunProblem;

/// <summary>Stepwise cannot apply migrations for this context (provider, in-memory database, connection string).</summary>
/// <param name="Message">Why.</param>
public sealed record EfNotSupported(string Message) : RunProblem
{
    /// <summary>Always true: nothing was changed.</summary>
    public override bool IsInputError => true;
}

/// <summary>The result of <see cref="DatabaseFacadeExtensions.MigrateSafelyAsync"/>: never an exception for
/// database errors (only cancellation throws). <see cref="EnsureSuccess"/> throws for callers who prefer that.</summary>
/// <param name="Outcome">Ok: every pending migration was applied (or none was pending).</param>
public sealed record MigrateSafelyResult(RunOutcome Outcome)
{
    /// <summary>The migration ids applied by this call, in order.</summary>
    public IReadOnlyList<string> Applied { get; init; } = [];

    /// <summary>The migration that failed.</summary>
    public EfMigrationFailure? Failure { get; init; }

    /// <summary>What stopped it before a migration ran: <see cref="EfLintRefused"/>, <see cref="LockBusy"/>,
    /// <see cref="ConnectionFailed"/>, <see cref="DatabaseError"/>, <see cref="EfNotSupported"/>.</summary>
    public IReadOnlyList<RunProblem> Problems { get; init; } = [];

    /// <summary>True when <see cref="Outcome"/> is Ok: every pending migration was applied (or none was pending).</summary>
    public bool Succeeded => Outcome == RunOutcome.Ok;

    /// <summary>Throws <see cref="MigrateSafelyException"/> unless every pending migration was applied.</summary>
    public MigrateSafelyResult EnsureSuccess() => Succeeded ? this : throw new MigrateSafelyException(this);

    internal static MigrateSafelyResult Stopped(RunProblem problem) =>
        new(problem.IsInputError ? RunOutcome.InputError : RunOutcome.ActionNeeded) { Problems = [problem] };

    /// <summary>A description for logs: the failure, the problems, or the migrations applied ("No pending EF Core migrations." when none).</summary>
    public override string ToString()
    {
        if (Failure is { } failure)
        {
            return failure.ToString();
        }

        if (Problems.Count > 0)
        {
            return string.Join(Environment.NewLine, Problems.Select(Describe));
        }

        return Applied.Count == 0 ? "No pending EF Core migrations." : $"Applied {Applied.Count} EF Core migration(s): {string.Join(", ", Applied)}.";
    }

    private static string Describe(RunProblem problem) => problem switch
    {
        EfLintRefused refused => "Pending EF Core migrations are unsafe; nothing was applied (MigrateSafelyOptions.AllowUnsafe applies them anyway).\n" + refused.Report,
        LockBusy busy => string.Create(CultureInfo.InvariantCulture, $"Another instance holds the migration lock on {busy.Target} (waited {busy.Waited.TotalSeconds:0} s){(busy.Holder?.SessionId is { } pid ? $"; held by session {pid}" : string.Empty)}."),
        ConnectionFailed failed => $"Cannot connect to {failed.Target}: {failed.Message}",
        DatabaseError error => $"{error.Target}: {error.Kind}{(error.SqlState is null ? string.Empty : $" ({error.SqlState})")}: {error.Message}",
        EfNotSupported unsupported => unsupported.Message,
        _ => problem.ToString(),
    };
}

/// <summary>Thrown by <see cref="MigrateSafelyResult.EnsureSuccess"/>; <see cref="Result"/> holds the details.</summary>
public sealed class MigrateSafelyException : Exception
{
    /// <summary>An exception with the default message and a <see cref="Result"/> of ActionNeeded with no details.</summary>
    public MigrateSafelyException()
    {
        Result = new MigrateSafelyResult(RunOutcome.ActionNeeded);
    }

    /// <summary>An exception with the given message and a <see cref="Result"/> of ActionNeeded with no details.</summary>
    /// <param name="message">The exception's message.</param>
    public MigrateSafelyException(string message)
        : base(message)
    {
        Result = new MigrateSafelyResult(RunOutcome.ActionNeeded);
    }

    /// <summary>An exception with the given message and cause, and a <see cref="Result"/> of ActionNeeded with no details.</summary>
    /// <param name="message">The exception's message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public MigrateSafelyException(string message, Exception innerException)
        : base(message, innerException)
    {
        Result = new MigrateSafelyResult(RunOutcome.ActionNeeded);
    }

    /// <summary>The exception for a result that did not succeed; its message is the result's <see cref="MigrateSafelyResult.ToString"/>.</summary>
    /// <param name="result">The unsuccessful result (not null).</param>
    public MigrateSafelyException(MigrateSafelyResult result)
        : base(result?.ToString())
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
    }

    /// <summary>The result that failed: its <see cref="MigrateSafelyResult.Failure"/> or <see cref="MigrateSafelyResult.Problems"/> say why.</summary>
    public MigrateSafelyResult Result { get; }
}
