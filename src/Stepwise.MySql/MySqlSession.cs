using System.Globalization;
using MySqlConnector;
using Stepwise.Engines;

namespace Stepwise.MySql;

/// <summary>The working session and the translation of driver failures into classified <see cref="EngineException"/>s.</summary>
internal sealed class MySqlSession : IAsyncDisposable
{
    private readonly string _connectionString;
    private MySqlConnection? _connection;

    public MySqlSession(DatabaseTarget target)
    {
        Target = target;
        _connectionString = MySqlConnectionString.Build(target);

        // GET_LOCK names are server-wide: name the database so runs on other databases don't wait (64 chars max)
        var lockName = "stepwise:" + target.Database;
        LockName = lockName.Length <= 64 ? lockName : "stepwise:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(target.Database)))[..40];
    }

    public DatabaseTarget Target { get; }

    public string LockName { get; }

    public ServerInfo Server { get; private set; } = ServerInfo.Unknown;

    public bool IsMariaDb => Server.Version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase);

    public MySqlConnection Connection => _connection ?? throw new InvalidOperationException("not connected");

    public bool IsOpen => _connection is not null;

    public async Task ConnectAsync(CancellationToken ct)
    {
        _connection = await OpenAsync(ct).ConfigureAwait(false);
        // MariaDB prefixes its version with "5.5.5-" for old replication clients
        var version = _connection.ServerVersion;
        Server = new ServerInfo(version.StartsWith("5.5.5-", StringComparison.Ordinal) && version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase) ? version[6..] : version, 0);
    }

    public Task<MySqlConnection> OpenAsync(CancellationToken ct) => OpenAsync(_connectionString, ct);

    /// <summary>A connection for backfill batches: CHAR(36) and BINARY(16) values read as the text and bytes they
    /// are (GuidFormat=None), so a key written back into a checkpoint or a comparison is exactly the stored one
    /// (a Guid would come back in lower case, which a binary collation sorts elsewhere).</summary>
    public Task<MySqlConnection> OpenDataAsync(CancellationToken ct) =>
        OpenAsync(new MySqlConnectionStringBuilder(_connectionString) { GuidFormat = MySqlGuidFormat.None }.ConnectionString, ct);

    private async Task<MySqlConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new MySqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex) when (ex is MySqlException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new EngineException(ErrorKind.ConnectionLost, Target.Scrub(ex.Message), (ex as MySqlException)?.Number.ToString(CultureInfo.InvariantCulture), ex);
        }
    }

    public static bool IsDatabaseFailure(Exception ex) => ex is MySqlException or InvalidOperationException or IOException;

    public async Task<T> Run<T>(Func<MySqlConnection, Task<T>> action)
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

    public EngineException Translate(Exception ex, int? index)
    {
        var number = (ex as MySqlException)?.Number;
        var message = number is { } n ? $"{ex.Message} (error {n})" : ex.Message;
        return new EngineException(MySqlErrors.Classify(ex), Target.Scrub(message), number?.ToString(CultureInfo.InvariantCulture), ex) { StatementIndex = index };
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
