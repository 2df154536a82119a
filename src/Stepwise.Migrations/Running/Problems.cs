using Stepwise.Analysis.Reporting;
using Stepwise.Engines;

namespace Stepwise.Migrations.Running;

/// <summary>
/// Something that stopped a command, or that a caller must act on. Each kind is its own record so that a caller
/// can handle it (switch on the type); the CLI words them. <see cref="IsInputError"/> says whether it means
/// "bad input or no connection: nothing was changed" (exit 2) rather than "act on this" (exit 1).
/// </summary>
public abstract record RunProblem
{
    /// <summary>Bad input or no database: nothing was changed.</summary>
    public virtual bool IsInputError => false;
}

/// <summary>The migrations folder does not exist.</summary>
/// <param name="Directory">The folder as given.</param>
public sealed record FolderNotFound(string Directory) : RunProblem
{
    /// <inheritdoc/>
    public override bool IsInputError => true;
}

/// <summary>The folder's layout has an error (duplicate version, unreadable file …).</summary>
/// <param name="Path">The file or folder.</param>
/// <param name="Message">What is wrong.</param>
public sealed record FolderError(string Path, string Message) : RunProblem
{
    /// <inheritdoc/>
    public override bool IsInputError => true;
}

/// <summary>The database could not be reached.</summary>
/// <param name="Target">The database URL with its password redacted.</param>
/// <param name="Message">The driver's message, scrubbed of secrets.</param>
public sealed record ConnectionFailed(string Target, string Message) : RunProblem
{
    /// <inheritdoc/>
    public override bool IsInputError => true;
}

/// <summary>A database call outside any migration failed (reading the journal, taking the lock …).</summary>
/// <param name="Target">The database URL with its password redacted.</param>
/// <param name="Kind">How the engine classified it.</param>
/// <param name="SqlState">SQLSTATE or error number, when known.</param>
/// <param name="Message">The database's message, scrubbed of secrets.</param>
public sealed record DatabaseError(string Target, ErrorKind Kind, string? SqlState, string Message) : RunProblem
{
    /// <summary>A connection lost mid-command is something to act on (run the same command again: the journal
    /// records what committed); any other database error here is an input error.</summary>
    public override bool IsInputError => Kind != ErrorKind.ConnectionLost;
}

/// <summary>A journal row this release cannot read; nothing was run.</summary>
/// <param name="Version">The row's version.</param>
/// <param name="Problem">What is wrong with it.</param>
public sealed record CorruptJournal(string Version, string Problem) : RunProblem;

/// <summary>An applied migration's file changed since it ran.</summary>
/// <param name="Version">Its version.</param>
/// <param name="Name">Its name.</param>
/// <param name="Recorded">The checksum in the journal.</param>
/// <param name="Current">The file's checksum now.</param>
public sealed record ChangedFile(string Version, string Name, string Recorded, string Current) : RunProblem;

/// <summary>An applied migration has no file any more.</summary>
/// <param name="Version">Its version.</param>
/// <param name="Name">Its name as journaled.</param>
public sealed record MissingFile(string Version, string Name) : RunProblem;

/// <summary>A migration failed in an earlier run (or was interrupted); it needs <c>repair</c> or <c>force</c>.</summary>
/// <param name="Version">Its version.</param>
/// <param name="Name">Its name.</param>
/// <param name="Entry">Its journal row: the failed statement, its index and the database's message.</param>
public sealed record EarlierFailure(string Version, string Name, JournalEntry Entry) : RunProblem;

/// <summary>A pending migration is older than the newest applied one.</summary>
/// <param name="Version">Its version.</param>
/// <param name="Name">Its name.</param>
public sealed record OutOfOrder(string Version, string Name) : RunProblem;

/// <summary>Another runner kept the migration lock longer than the lock wait.</summary>
/// <param name="Target">The database URL with its password redacted.</param>
/// <param name="Waited">How long this run waited.</param>
/// <param name="Holder">Who holds it, when the server tells.</param>
/// <param name="Dialect">The database's dialect (MySQL calls a session a connection).</param>
public sealed record LockBusy(string Target, TimeSpan Waited, LockHolder? Holder, Stepwise.Sql.SqlDialect Dialect) : RunProblem;

/// <summary>Lint found error-severity problems in migrations about to run.</summary>
/// <param name="Report">The findings.</param>
public sealed record LintRefused(LintReport Report) : RunProblem;

/// <summary>A version given on the command line (<c>--to</c>, <c>force</c>) that no migration has.</summary>
/// <param name="Version">The version as given.</param>
public sealed record UnknownVersion(string Version) : RunProblem
{
    /// <inheritdoc/>
    public override bool IsInputError => true;
}

/// <summary>A count that is not a positive number (<c>down 0</c>, <c>down -1</c>).</summary>
/// <param name="Count">The count as given.</param>
public sealed record InvalidCount(int Count) : RunProblem
{
    /// <inheritdoc/>
    public override bool IsInputError => true;
}

/// <summary>A migration to roll back has no down migration; nothing was rolled back.</summary>
/// <param name="Version">Its version.</param>
/// <param name="Name">Its name.</param>
public sealed record MissingDown(string Version, string Name) : RunProblem;

/// <summary><c>baseline</c> on a journal that has rows already.</summary>
public sealed record JournalNotEmpty : RunProblem;

/// <summary><c>baseline --from</c>: the tool's history table is not there.</summary>
/// <param name="Tool">The tool.</param>
/// <param name="Target">The database URL with its password redacted.</param>
public sealed record NoForeignHistory(string Tool, string Target) : RunProblem
{
    /// <inheritdoc/>
    public override bool IsInputError => true;
}

/// <summary><c>up</c> on a database with no Stepwise journal that holds another tool's history table with rows:
/// running the folder would re-run what that tool applied, so nothing was run.</summary>
/// <param name="Tools">The tools whose history table it is (several when they share a table name, such as
/// golang-migrate's and dbmate's <c>schema_migrations</c>; the folder's own layout first).</param>
/// <param name="Table">The table found.</param>
/// <param name="Rows">How many rows count as applied migrations there.</param>
public sealed record OtherToolHistory(IReadOnlyList<string> Tools, string Table, int Rows) : RunProblem;

/// <summary><c>baseline --from golang-migrate</c>: its history has no clean version (empty, or dirty).</summary>
public sealed record ForeignHistoryDirty : RunProblem;

/// <summary>A <c>-- stepwise:backfill</c> file that cannot run as a backfill; nothing ran.</summary>
/// <param name="Version">The migration's version.</param>
/// <param name="Name">Its name.</param>
/// <param name="Reason">Why (as lint's invalid-backfill says).</param>
/// <param name="Down">Whether it is the down file.</param>
public sealed record InvalidBackfill(string Version, string Name, string Reason, bool Down) : RunProblem;

/// <summary>A down backfill file that reuses its up backfill's checkpoint name.</summary>
/// <param name="Version">The migration's version.</param>
/// <param name="Name">Its name.</param>
/// <param name="Checkpoint">The shared checkpoint name.</param>
public sealed record BackfillNameClash(string Version, string Name, string Checkpoint) : RunProblem;

/// <summary><c>baseline --from</c> names a tool Stepwise does not know.</summary>
/// <param name="Tool">The name as given.</param>
public sealed record UnknownTool(string Tool) : RunProblem
{
    /// <inheritdoc/>
    public override bool IsInputError => true;
}

/// <summary>A database URL that could not be parsed (the message never contains its password).</summary>
/// <param name="Message">What is wrong with it.</param>
public sealed record InvalidDatabaseUrl(string Message) : RunProblem
{
    /// <inheritdoc/>
    public override bool IsInputError => true;
}
