using System.Data.Common;
using Stepwise.Sql;

namespace Stepwise.Engines.Conformance;

/// <summary>How the holder of the migration lock is described to another runner.</summary>
public enum LockHolderKind
{
    /// <summary>By the server's session id (PostgreSQL backend pid, MySQL connection id).</summary>
    Session,

    /// <summary>By the lock file another process holds (SQLite).</summary>
    LockFile,
}

/// <summary>
/// One engine under test: makes fresh databases and knows the few dialect facts the shared cases need (the
/// previous release's journal DDL, how to hold a conflicting lock, how to sleep). An engine's test project
/// derives one and hands it to each abstract conformance class.
/// </summary>
public abstract class ConformanceTarget
{
    /// <summary>The engine's dialect.</summary>
    public abstract SqlDialect Dialect { get; }

    /// <summary>A fresh, empty database named after the test, with a way to make engines on it.</summary>
    public abstract Task<TestDatabase> CreateDatabaseAsync(string test);

    /// <summary>The journal DDL of the release before the journal schema version (commit 1cfb847,
    /// <c>EnsureJournalAsync</c>), verbatim.</summary>
    public abstract string PreviousJournalDdl { get; }

    /// <summary>A literal for a journal timestamp, as the previous release stored it.</summary>
    public abstract string TimestampLiteral(DateTimeOffset time);

    /// <summary>Statements a second connection runs, and keeps open, so that <c>ALTER TABLE {table} ADD COLUMN …</c>
    /// on the engine must wait for a lock.</summary>
    public abstract IReadOnlyList<string> HoldConflictingLock(string table);

    /// <summary>A statement that runs for about <paramref name="duration"/> (null: this database has no statement timeout).</summary>
    public abstract string? Sleep(TimeSpan duration);

    /// <summary>DROP INDEX in this dialect.</summary>
    public abstract string DropIndex(string index, string table);

    /// <summary>How a lock holder is named.</summary>
    public abstract LockHolderKind HolderKind { get; }

    /// <summary>Whether the engine has <see cref="IInvalidIndexCleanup"/>.</summary>
    public abstract bool HasInvalidIndexCleanup { get; }

    /// <summary>Whether the engine has <see cref="IDatabaseLockWaits"/>.</summary>
    public abstract bool HasDatabaseLockWaits { get; }

    /// <summary>The smallest lock timeout the engine honours (MySQL and SQLite count whole seconds).</summary>
    public virtual TimeSpan LockTimeoutGranularity => TimeSpan.FromSeconds(1);
}

/// <summary>
/// A fresh database for one test: makes engines on it (disposed with it) and runs raw SQL on it from other
/// connections than the engines'.
/// </summary>
public abstract class TestDatabase : IAsyncDisposable
{
    private readonly List<IEngine> _engines = [];

    /// <summary>An engine on this database, not connected yet.</summary>
    protected abstract IEngine CreateEngine();

    /// <summary>A second connection to the database (unpooled, privileged), owned by the caller.</summary>
    public abstract Task<DbConnection> OpenAsync();

    /// <summary>Ends every other session on the database (the engines'), as an administrator would; returns how many.</summary>
    public abstract Task<int> KillOtherSessionsAsync(DbConnection admin);

    /// <summary>The column names of a table.</summary>
    public abstract Task<IReadOnlyList<string>> ColumnsAsync(string table);

    /// <summary>A connected engine on this database.</summary>
    public async Task<IEngine> ConnectAsync()
    {
        var engine = CreateEngine();
        _engines.Add(engine);
        await engine.ConnectAsync(CancellationToken.None);
        return engine;
    }

    /// <summary>Runs statements, one command each, on a new connection.</summary>
    public async Task ExecuteAsync(params string[] statements)
    {
        await using var connection = await OpenAsync();
        foreach (var sql in statements)
        {
            await RawSql.ExecuteAsync(connection, sql);
        }
    }

    /// <summary>The first column of the first row (null for NULL), on a new connection.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        return await RawSql.ScalarAsync(connection, sql);
    }

    /// <summary>A count, on a new connection.</summary>
    public async Task<long> CountAsync(string sql) => Convert.ToInt64(await ScalarAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Disposes the engines, then the database.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var engine in _engines)
        {
            await engine.DisposeAsync();
        }

        await DisposeDatabaseAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Drops what the database left behind (a temp folder); servers keep their databases.</summary>
    protected virtual ValueTask DisposeDatabaseAsync() => ValueTask.CompletedTask;
}

/// <summary>Raw ADO.NET helpers for the second connection.</summary>
public static class RawSql
{
    /// <summary>Runs one statement.</summary>
    public static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row (null for NULL).</summary>
    public static async Task<object?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    /// <summary>Every row's values (null for NULL).</summary>
    public static async Task<IReadOnlyList<object?[]>> QueryAsync(DbCommand cmd)
    {
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}

/// <summary>Assertions that say what the database said.</summary>
public static class Expect
{
    /// <summary>The failure has this kind; otherwise the message shows the database's message and code.</summary>
    public static void Kind(ErrorKind expected, EngineException actual)
    {
        ArgumentNullException.ThrowIfNull(actual);
        static string Causes(Exception? ex) => ex is null ? "nothing" : $"{ex.GetType().Name} '{ex.Message}'" + (ex.InnerException is null ? string.Empty : " <- " + Causes(ex.InnerException));
        Assert.True(expected == actual.Kind, $"expected {expected}, got {actual.Kind} ({actual.SqlState}): {actual.Message}; caused by {Causes(actual.InnerException)}");
    }
}

/// <summary>Records progress reports as they happen, with when (<see cref="Progress{T}"/> would post them later).</summary>
/// <typeparam name="T">What is reported.</typeparam>
public sealed class ProgressRecorder<T> : IProgress<T>
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly List<(T Value, TimeSpan At)> _reports = [];

    /// <summary>The reports so far, with the time since the recorder was made.</summary>
    public IReadOnlyList<(T Value, TimeSpan At)> Reports
    {
        get
        {
            lock (_reports)
            {
                return [.. _reports];
            }
        }
    }

    /// <inheritdoc/>
    public void Report(T value)
    {
        lock (_reports)
        {
            _reports.Add((value, _clock.Elapsed));
        }
    }
}
