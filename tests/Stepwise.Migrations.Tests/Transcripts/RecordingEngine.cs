using System.Data.Common;
using Microsoft.Data.Sqlite;
using Stepwise.Engines;
using Stepwise.Sql;

namespace Stepwise.Migrations.Tests.Transcripts;

/// <summary>
/// An engine whose roles write every call to the scenario's transcript and act on a <see cref="RecordingDatabase"/>:
/// statements "run" by being recorded (and failing where the scenario says), the journal is in memory, backfill
/// batches run real SQL on in-memory SQLite. One engine per runner command, like the real ones; a lost connection
/// is lost for the rest of its command.
/// </summary>
internal sealed class RecordingEngine : IEngine, IStatementExecutor, IMigrationLock, IJournalStore, ICatalog, IInvalidIndexCleanup
{
    private readonly RecordingDatabase _db;
    private bool _connected;
    private bool _lost;

    public RecordingEngine(RecordingDatabase db)
    {
        _db = db;
        Backfill = new RecordingBackfillSql();
    }

    public SqlDialect Dialect => _db.Dialect;

    public ServerInfo Server => _connected ? _db.Server : ServerInfo.Unknown;

    public IStatementExecutor Executor => this;

    public IMigrationLock Lock => this;

    public IJournalStore Journal => this;

    public ICatalog Catalog => this;

    public IBackfillSql Backfill { get; }

    private Transcript Log => _db.Transcript;

    public T? Ability<T>()
        where T : class =>
        typeof(T) == typeof(IInvalidIndexCleanup) && _db.HasInvalidIndexCleanup ? this as T
        : typeof(T) == typeof(IExpandContractSql) && (_db.ExpandContractPlan is not null || _db.ExpandContractRefusal is not null) ? new RecordingExpandContract(_db) as T
        : typeof(T) == typeof(IOldNameUsage) && (_db.OldNameUses is not null || _db.OldNameUsageUnavailable is not null) ? new RecordingExpandContract(_db) as T
        : null;

    public Task ConnectAsync(CancellationToken cancellationToken)
    {
        Log.Add("connect");
        _connected = true;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Log.Add("disconnect");
        return ValueTask.CompletedTask;
    }

    // ---- IStatementExecutor

    public Task ExecuteInTransactionAsync(IReadOnlyList<string> statements, JournalChange journal, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        Alive();
        Log.Add("BEGIN");
        Log.Add($"SET LOCAL lock_timeout = {Transcript.Duration(limits.LockTimeout)}");
        Log.Add($"SET LOCAL statement_timeout = {Transcript.Duration(limits.StatementTimeout)}");
        for (var i = 0; i < statements.Count; i++)
        {
            Log.Add(statements[i]);
            if (_db.Fire(statements[i]) is { } fault)
            {
                throw Failed(fault, inTransaction: true).At(i);
            }
        }

        Log.Add(Describe(journal));
        Log.Add("COMMIT");
        if (_db.Fire("COMMIT") is { } atCommit)
        {
            throw Failed(atCommit, inTransaction: true); // e.g. a deferred constraint: no statement of the file failed
        }

        Apply(journal);
        return Task.CompletedTask;
    }

    public Task ExecuteAsync(string statement, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        Alive();
        Log.Add($"SET lock_timeout = {Transcript.Duration(limits.LockTimeout)}");
        Log.Add($"SET statement_timeout = {Transcript.Duration(limits.StatementTimeout)}");
        Log.Add(statement);
        return _db.Fire(statement) is { } fault ? throw Failed(fault, inTransaction: false) : Task.CompletedTask;
    }

    public async Task<DbConnection> OpenDataConnectionAsync(CancellationToken cancellationToken)
    {
        Alive();
        Log.Add("open data connection");
        if (_db.Fire("open data connection") is { } fault)
        {
            throw Failed(fault, inTransaction: false);
        }

        var inner = new SqliteConnection(_db.SqliteConnectionString);
        await inner.OpenAsync(cancellationToken).ConfigureAwait(false);
        return new RecordingConnection(inner, Log);
    }

    // ---- IMigrationLock

    public Task<bool> TryAcquireAsync(TimeSpan wait, IProgress<LockWait>? waiting, CancellationToken cancellationToken)
    {
        Alive();
        if (_db.LockHeldBy is not null)
        {
            waiting?.Report(new LockWait(LockKind.MigrationLock, TimeSpan.FromSeconds(1)));
            Log.Add($"lock: busy (waited {Transcript.Duration(wait)})");
            return Task.FromResult(false);
        }

        Log.Add("lock");
        return Task.FromResult(true);
    }

    public Task ReleaseAsync(CancellationToken cancellationToken)
    {
        Log.Add(_lost ? "unlock: nothing to do, the lock went with the lost session" : "unlock");
        return Task.CompletedTask;
    }

    public Task<LockHolder?> HolderAsync(CancellationToken cancellationToken)
    {
        Alive();
        Log.Add("lock holder?" + (_db.LockHeldBy is { } h ? $" pid {h.SessionId}" : " none"));
        return Task.FromResult(_db.LockHeldBy);
    }

    // ---- IJournalStore

    public Task<int> EnsureAsync(CancellationToken cancellationToken)
    {
        Alive();
        var before = _db.JournalExists ? JournalSchema.Version : 0;
        Log.Add(_db.JournalExists ? "journal ensure" : "journal ensure: created");
        _db.JournalExists = true;
        return Task.FromResult(before);
    }

    public Task<IReadOnlyList<JournalEntry>> ReadAsync(CancellationToken cancellationToken)
    {
        Alive();
        Log.Add($"journal read: {_db.Journal.Count} row{(_db.Journal.Count == 1 ? string.Empty : "s")}");
        return Task.FromResult<IReadOnlyList<JournalEntry>>([.. _db.Journal.Values]);
    }

    public Task WriteAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        Alive();
        Log.Add(Describe(JournalChange.Record(entry)));
        Apply(JournalChange.Record(entry));
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string version, CancellationToken cancellationToken)
    {
        Alive();
        Log.Add(Describe(JournalChange.Remove(version)));
        Apply(JournalChange.Remove(version));
        return Task.CompletedTask;
    }

    // ---- ICatalog

    public Task<IReadOnlyList<KeyColumn>> PrimaryKeyAsync(string table, CancellationToken cancellationToken)
    {
        Alive();
        var key = _db.PrimaryKeys.TryGetValue(table, out var k) ? k : [];
        Log.Add($"catalog: primary key of {table} = ({string.Join(", ", key.Select(c => c.Name + " " + c.SqlType))})");
        return Task.FromResult(key);
    }

    public Task<long?> EstimateRowsAsync(string table, CancellationToken cancellationToken)
    {
        Alive();
        long? estimate = _db.RowEstimates.TryGetValue(table, out var n) ? n : null;
        Log.Add($"catalog: row estimate of {table} = {estimate?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}");
        return Task.FromResult(estimate);
    }

    public Task<IReadOnlyList<string>?> ReadForeignHistoryAsync(ForeignHistory history, CancellationToken cancellationToken)
    {
        Alive();
        var conditions = string.Join(" AND ", history.Conditions.Select(c => $"{c.Column} {c.Test}{(c.Value is null ? string.Empty : " " + c.Value)}"));
        var found = _db.ForeignHistory.TryGetValue(history.Table, out var versions) ? versions : null;
        Log.Add($"catalog: {history.Tool} history {history.Table}.{string.Join(", ", history.MoreColumns.Prepend(history.Column))}{(conditions.Length == 0 ? string.Empty : " WHERE " + conditions)} = {(found is null ? "no such table" : "[" + string.Join(", ", found) + "]")}");
        return Task.FromResult(found);
    }

    // ---- IInvalidIndexCleanup

    public Task<IReadOnlyList<string>> FindInvalidIndexesAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        Alive();
        var invalid = names.Where(_db.InvalidIndexes.Contains).Select(n => $"\"public\".\"{n}\"").ToList();
        Log.Add($"find invalid indexes among {string.Join(", ", names)}: {(invalid.Count == 0 ? "none" : string.Join(", ", invalid))}");
        return Task.FromResult<IReadOnlyList<string>>(invalid);
    }

    public Task DropInvalidIndexAsync(string qualifiedName, CancellationToken cancellationToken)
    {
        Alive();
        Log.Add($"DROP INDEX CONCURRENTLY IF EXISTS {qualifiedName}");
        _db.InvalidIndexes.RemoveWhere(n => qualifiedName.EndsWith($"\"{n}\"", StringComparison.Ordinal));
        return Task.CompletedTask;
    }

    private static string Describe(JournalChange change)
    {
        if (change.Write is not { } e)
        {
            return $"journal delete {change.DeleteVersion}";
        }

        var text = $"journal write {e.Version} {JournalEntry.StateName(e.State)} statements_done={e.StatementsDone}{(e.Plan is null ? string.Empty : " (plan stored)")}";
        if (e.FailedStatementIndex is { } index)
        {
            text += $" failed_statement_index={index}";
        }

        return e.Error is { } error ? text + $" error=\"{error}\"" : text;
    }

    private void Apply(JournalChange change)
    {
        if (change.Write is { } entry)
        {
            _db.Journal[entry.Version] = entry;
        }
        else if (change.DeleteVersion is { } version)
        {
            _db.Journal.Remove(version);
        }
    }

    /// <summary>A call on a session whose connection was lost fails as the driver would.</summary>
    private void Alive([System.Runtime.CompilerServices.CallerMemberName] string call = "")
    {
        if (_lost)
        {
            Log.Add($"{call}: ! ConnectionLost 08003: the connection is closed");
            throw new EngineException(ErrorKind.ConnectionLost, "the connection is closed", "08003");
        }
    }

    private EngineException Failed(Fault fault, bool inTransaction)
    {
        Log.Add($"  ! {fault.Kind} {fault.SqlState}: {fault.Message}");
        if (fault.Kind == ErrorKind.ConnectionLost)
        {
            _lost = true; // the server rolls back an open transaction; nothing more goes through this session
        }
        else if (inTransaction)
        {
            Log.Add("ROLLBACK");
        }

        return fault.Exception();
    }
}
