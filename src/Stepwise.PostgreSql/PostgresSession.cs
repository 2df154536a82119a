using System.Globalization;
using Npgsql;
using Stepwise.Engines;

namespace Stepwise.PostgreSql;

/// <summary>The working session: the one connection every role uses, and the translation of driver failures into
/// classified <see cref="EngineException"/>s.</summary>
internal sealed class PostgresSession : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private NpgsqlConnection? _connection;

    public PostgresSession(DatabaseTarget target)
    {
        Target = target;
        _dataSource = PostgresDataSource.Build(target);
    }

    public DatabaseTarget Target { get; }

    public ServerInfo Server { get; private set; } = ServerInfo.Unknown;

    public NpgsqlConnection Connection => _connection ?? throw new InvalidOperationException("not connected");

    public bool IsOpen => _connection is not null;

    public async Task ConnectAsync(CancellationToken ct)
    {
        _connection = await OpenAsync(ct).ConfigureAwait(false);
        Server = new ServerInfo(_connection.ServerVersion, _connection.PostgreSqlVersion.Major);
    }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or ArgumentException)
        {
            throw new EngineException(ErrorKind.ConnectionLost, Target.Scrub(PostgresErrors.Describe(ex)), (ex as PostgresException)?.SqlState, ex);
        }
    }

    /// <summary>Runs a catalog or journal call, translating driver failures.</summary>
    public async Task<T> Run<T>(Func<NpgsqlConnection, Task<T>> action)
    {
        try
        {
            return await action(Connection).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            throw Translate(ex, null);
        }
    }

    /// <summary>Driver and network failures. Npgsql answers a command on a connection the server has closed
    /// (pg_terminate_backend, a restart) with InvalidOperationException, which is a lost connection too.</summary>
    public bool IsDatabaseFailure(Exception ex) =>
        ex is NpgsqlException or TimeoutException or IOException
        || (ex is InvalidOperationException && (_connection?.State ?? System.Data.ConnectionState.Closed) != System.Data.ConnectionState.Open);

    public EngineException Translate(Exception ex, int? statementIndex) =>
        new(PostgresErrors.Classify(ex), Target.Scrub(PostgresErrors.Describe(ex)), (ex as PostgresException)?.SqlState, ex) { StatementIndex = statementIndex };

    public static string Millis(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
