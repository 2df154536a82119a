using System.Globalization;
using Microsoft.Data.Sqlite;
using Stepwise.Engines;

namespace Stepwise.Sqlite;

/// <summary>The working connection and the translation of SQLite errors into classified <see cref="EngineException"/>s.</summary>
internal sealed class SqliteSession(DatabaseTarget target) : IAsyncDisposable, IDatabaseLockWaits
{
    /// <summary>How long a journal command, BEGIN or COMMIT waits for another connection's write lock in all
    /// (Microsoft.Data.Sqlite's default command timeout, which this wait had before it was said).</summary>
    private static readonly TimeSpan BusyBudget = TimeSpan.FromSeconds(30);

    private SqliteConnection? _connection;

    public IProgress<LockWait>? Waiting { get; set; }

    public DatabaseTarget Target { get; } = target;

    public ServerInfo Server { get; private set; } = ServerInfo.Unknown;

    public SqliteConnection Connection => _connection ?? throw new InvalidOperationException("not connected");

    public string LockPath => Target.FilePath + ".stepwise-lock";

    public async Task ConnectAsync(CancellationToken ct)
    {
        var path = Target.FilePath!;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new EngineException(ErrorKind.ConnectionLost, $"folder {folder} does not exist");
        }

        try
        {
            var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false, DefaultTimeout = 1 }; // busy waits: see WhileBusyAsync
            _connection = new SqliteConnection(builder.ConnectionString);
            await _connection.OpenAsync(ct).ConfigureAwait(false);
            Server = new ServerInfo("SQLite " + _connection.ServerVersion, 0);
        }
        catch (SqliteException ex)
        {
            throw new EngineException(ErrorKind.ConnectionLost, ex.Message, ex.SqliteErrorCode.ToString(CultureInfo.InvariantCulture), ex);
        }
    }

    public async Task<SqliteConnection> OpenDataAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Target.FilePath, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        return connection;
    }

    public async Task<T> Run<T>(Func<SqliteConnection, Task<T>> action)
    {
        try
        {
            return await WhileBusyAsync(() => action(Connection), CancellationToken.None).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, null);
        }
    }

    /// <summary>
    /// Retries <paramref name="action"/> while another connection holds the database's write lock (SQLITE_BUSY /
    /// SQLITE_LOCKED), for up to <see cref="BusyBudget"/>. Each attempt waits a second inside the driver (the
    /// connection's default timeout); after the first second the wait is said, once, through <see cref="Waiting"/>.
    /// Only for idempotent work: journal commands, BEGIN, COMMIT.
    /// </summary>
    public async Task<T> WhileBusyAsync<T>(Func<Task<T>> action, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var said = false;
        while (true)
        {
            try
            {
                return await action().ConfigureAwait(false);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6 && clock.Elapsed < BusyBudget)
            {
                if (!said && clock.Elapsed >= TimeSpan.FromSeconds(1))
                {
                    said = true;
                    Waiting?.Report(new LockWait(LockKind.DatabaseWriteLock, clock.Elapsed) { Resource = Target.FilePath });
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), ct).ConfigureAwait(false);
            }
        }
    }

    public static EngineException Translate(SqliteException ex, int? index) =>
        new(SqliteErrors.Classify(ex), ex.Message, ex.SqliteErrorCode.ToString(CultureInfo.InvariantCulture), ex) { StatementIndex = index };

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>SQLite's result codes and messages, classified once.</summary>
internal static class SqliteErrors
{
    public static ErrorKind Classify(SqliteException ex) => ex.SqliteErrorCode switch
    {
        5 or 6 => ErrorKind.LockTimeout, // SQLITE_BUSY / SQLITE_LOCKED: another connection holds the lock
        1 when ex.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("duplicate column", StringComparison.OrdinalIgnoreCase) => ErrorKind.AlreadyExists,
        1 when ex.Message.Contains("no such", StringComparison.OrdinalIgnoreCase) => ErrorKind.DoesNotExist,
        _ => ErrorKind.Statement,
    };
}
