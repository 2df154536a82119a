using System.Diagnostics;
using System.Globalization;
using MySqlConnector;
using Stepwise.Testing.Internal;

namespace Stepwise.Testing;

/// <summary>
/// A throwaway MariaDB server on 127.0.0.1 and a random free port, with its data in a fresh temp folder;
/// disposing kills it and deletes the folder.
/// </summary>
/// <remarks>
/// Two logins over TCP: <c>root</c>@127.0.0.1 without a password (all privileges), and
/// <c>stepwise</c>@127.0.0.1 / <c>s3cret-pw</c> (mysql_native_password), which has all privileges on every
/// database made by <see cref="CreateDatabaseAsync"/> and none elsewhere. Grants are enforced; only
/// durability is off (no fsync at all), since the data is thrown away.
/// </remarks>
public sealed class MariaDbServer : IAsyncDisposable, IEmergencyStop
{
    public const string Host = "127.0.0.1";
    public const string SuperUser = "root";
    public const string PasswordUser = "stepwise";
    public const string Password = "s3cret-pw";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Shared by mariadb-install-db and mariadbd: skipping every sync turns a 5 s install into about 1.5 s;
    /// a small buffer pool and log keep memory and disk low.
    /// </summary>
    private static readonly string[] Tuning =
    [
        "--debug-no-sync",
        "--innodb-flush-log-at-trx-commit=0",
        "--innodb-doublewrite=0",
        "--innodb-buffer-pool-size=32M",
        "--innodb-log-file-size=16M",
    ];

    private readonly ServerDirectory _directory;
    private readonly ChildProcessHandle _process;
    private ChildProcessHandle? _watchdog;
    private int _stopped;

    private MariaDbServer(ServerDirectory directory, ChildProcessHandle process, int port)
    {
        _directory = directory;
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The temp folder holding the data directory, the socket, the pid file and the error log.</summary>
    public string Directory => _directory.Path;

    /// <summary>The server's Unix socket file; <c>root</c>@localhost logs in through it without a password.</summary>
    public string SocketPath => _directory.Combine("mariadb.sock");

    /// <summary>How long <see cref="StartAsync(CancellationToken)"/> took, from finding the binaries to accepting the password user.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>MySqlConnector connection string for root, with no default database.</summary>
    public string ConnectionString => ConnectionStringFor(null);

    /// <summary><c>mysql://root@127.0.0.1:PORT</c> (root needs no password).</summary>
    public string Url => UrlFor(null);

    /// <summary>MySqlConnector connection string for <c>stepwise</c> with its password, with no default database.</summary>
    public string PasswordConnectionString => PasswordConnectionStringFor(null);

    /// <summary><c>mysql://stepwise:s3cret-pw@127.0.0.1:PORT</c>.</summary>
    public string PasswordUrl => PasswordUrlFor(null);

    public string ConnectionStringFor(string? database) => BuildConnectionString(SuperUser, null, database, pooling: true);

    public string PasswordConnectionStringFor(string? database) => BuildConnectionString(PasswordUser, Password, database, pooling: true);

    public string UrlFor(string? database) => BuildUrl(SuperUser, null, database);

    public string PasswordUrlFor(string? database) => BuildUrl(PasswordUser, Password, database);

    private string ErrorLog => _directory.Combine("mariadbd.err");

    /// <summary>
    /// Finds the MariaDB binaries, installs the system tables into a fresh temp folder and starts mariadbd.
    /// Throws <see cref="DatabaseServerUnavailableException"/> naming the package to install when they are missing.
    /// </summary>
    public static Task<MariaDbServer> StartAsync(CancellationToken cancellationToken = default) => StartAsync([], cancellationToken);

    /// <summary>As <see cref="StartAsync(CancellationToken)"/>, with extra mariadbd options (e.g. <c>--performance-schema=ON</c>).</summary>
    public static async Task<MariaDbServer> StartAsync(IReadOnlyList<string> serverOptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(serverOptions);
        var clock = Stopwatch.StartNew();
        var binaries = await ServerBinaries.MariaDbAsync().ConfigureAwait(false);
        await ReapLeftoversAsync().ConfigureAwait(false);

        var directory = ServerDirectory.Create("mariadb");
        MariaDbServer? current = null;
        try
        {
            var data = directory.Combine("data");
            var asRoot = Tools.IsRoot ? new[] { "--user=root" } : [];
            await Tools.RunCheckedAsync(
                binaries.InstallDb,
                [
                    "--no-defaults", $"--datadir={data}", "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve",
                    // its own tmpdir: two installs sharing /tmp delete each other's temporary tables and fail
                    $"--tmpdir={directory.Path}", .. asRoot, .. Tuning,
                ],
                directory.Path,
                InstallTimeout,
                cancellationToken).ConfigureAwait(false);

            // The init file runs before the server accepts connections, so the users exist once it answers.
            // mariadb-install-db cannot run CREATE USER (it bootstraps without grant tables).
            var initFile = directory.Combine("init.sql");
            await File.WriteAllTextAsync(
                initFile,
                $"""
                CREATE USER IF NOT EXISTS '{SuperUser}'@'{Host}';
                GRANT ALL PRIVILEGES ON *.* TO '{SuperUser}'@'{Host}' WITH GRANT OPTION;
                CREATE USER IF NOT EXISTS '{PasswordUser}'@'{Host}' IDENTIFIED BY '{Password}';

                """,
                cancellationToken).ConfigureAwait(false);

            const int attempts = 5;
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePorts.Next();
                var process = ChildProcess.Start(
                    binaries.Server,
                    [
                        "--no-defaults", .. asRoot,
                        $"--datadir={data}",
                        $"--port={port.ToString(CultureInfo.InvariantCulture)}",
                        $"--bind-address={Host}",
                        $"--socket={directory.Combine("mariadb.sock")}",
                        $"--pid-file={directory.Combine("mariadbd.pid")}",
                        $"--log-error={directory.Combine("mariadbd.err")}",
                        $"--tmpdir={directory.Path}",
                        $"--init-file={initFile}",
                        "--skip-name-resolve",
                        "--character-set-server=utf8mb4",
                        "--collation-server=utf8mb4_general_ci",
                        .. Tuning,
                        .. serverOptions,
                    ],
                    Tools.ToolEnvironment,
                    directory.Path);
                current = new MariaDbServer(directory, process, port);
                ServerRegistry.Add(current);
                var failure = await current.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
                if (failure is null)
                {
                    break;
                }

                await current.KillAsync().ConfigureAwait(false);
                current = null;

                // another process took the port between our probe and the server's bind: try another one
                if (attempt < attempts && failure.Contains("Address already in use", StringComparison.Ordinal))
                {
                    continue;
                }

                throw new InvalidOperationException($"MariaDB did not start on {Host}:{port}:\n{failure}");
            }

            current._watchdog = Watchdog.Start(directory.Path, ["kill", "-9", current._process.Id.ToString(CultureInfo.InvariantCulture)]);
            current.StartupTime = clock.Elapsed;
            return current;
        }
        catch
        {
            if (current is not null)
            {
                await current.DisposeAsync().ConfigureAwait(false);
            }

            directory.Delete();
            throw;
        }
    }

    /// <summary>
    /// Creates a database (utf8mb4), grants <c>stepwise</c> all privileges on it, and returns root's
    /// connection string for it.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);

        // in a database-level grant _ and % are wildcards: escape them so the grant covers this database only
        var grantName = name.Replace("_", "\\_", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal);
        await ExecuteAsync(
            $"CREATE DATABASE {QuoteIdentifier(name)}; GRANT ALL PRIVILEGES ON {QuoteIdentifier(grantName)}.* TO '{PasswordUser}'@'{Host}'",
            null,
            cancellationToken).ConfigureAwait(false);
        return ConnectionStringFor(name);
    }

    /// <summary>Runs SQL (one or more statements) as root, with no default database.</summary>
    public Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken = default) => ExecuteAsync(sql, null, cancellationToken);

    /// <summary>Runs SQL (one or more statements) as root on <paramref name="database"/>; returns rows affected.</summary>
    public async Task<int> ExecuteAsync(string sql, string? database, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAdminAsync(database, cancellationToken).ConfigureAwait(false);
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a query as root on <paramref name="database"/> and returns the first column of the first row.</summary>
    public async Task<object?> ScalarAsync(string sql, string? database = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAdminAsync(database, cancellationToken).ConfigureAwait(false);
        await using var command = new MySqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <summary>Kills the server (SIGKILL: its data is thrown away) and deletes its temp folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            await KillAsync().ConfigureAwait(false);
        }
        finally
        {
            _directory.Delete();
        }
    }

    void IEmergencyStop.StopNow()
    {
        _watchdog?.KillAndWait(TimeSpan.FromSeconds(5));
        _process.KillAndWait(TimeSpan.FromSeconds(10));
        _directory.Delete();
    }

    /// <summary>Stops servers, and deletes folders, left behind by test processes that were killed.</summary>
    internal static Task ReapLeftoversAsync() => ServerDirectory.ReapStaleAsync("mariadb", StopStaleAsync);

    private async Task KillAsync()
    {
        ServerRegistry.Remove(this);
        if (_watchdog is not null)
        {
            await _watchdog.DisposeAsync().ConfigureAwait(false);
        }

        await _process.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Null once the password user can log in over TCP; otherwise why the server is not coming up.</summary>
    private async Task<string?> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var probe = BuildConnectionString(PasswordUser, Password, null, pooling: false);
        while (true)
        {
            if (_process.HasExited)
            {
                return await DescribeFailureAsync("mariadbd exited").ConfigureAwait(false);
            }

            try
            {
                await using var connection = new MySqlConnection(probe);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (MySqlException) when (deadline.Elapsed < ReadyTimeout)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
            catch (MySqlException e)
            {
                return await DescribeFailureAsync($"no connection after {ReadyTimeout.TotalSeconds:0} s: {e.Message}").ConfigureAwait(false);
            }
        }
    }

    private async Task<string> DescribeFailureAsync(string what)
    {
        var log = File.Exists(ErrorLog) ? await File.ReadAllTextAsync(ErrorLog).ConfigureAwait(false) : string.Empty;
        return $"{what}\n{_process.StandardOutput}{_process.StandardError}\n{log}";
    }

    private async Task<MySqlConnection> OpenAdminAsync(string? database, CancellationToken cancellationToken)
    {
        // unpooled, so nothing of ours outlives the server or holds metadata locks between calls
        var connection = new MySqlConnection(BuildConnectionString(SuperUser, null, database, pooling: false));
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private string BuildConnectionString(string user, string? password, string? database, bool pooling)
    {
        var builder = new MySqlConnectionStringBuilder
        {
            Server = Host,
            Port = (uint)Port,
            UserID = user,
        };
        if (password is not null)
        {
            builder.Password = password;
        }

        if (!string.IsNullOrEmpty(database))
        {
            builder.Database = database;
        }

        if (!pooling)
        {
            builder.Pooling = false;
        }

        return builder.ConnectionString;
    }

    private string BuildUrl(string user, string? password, string? database)
    {
        var credentials = password is null ? Uri.EscapeDataString(user) : $"{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}";
        var path = string.IsNullOrEmpty(database) ? string.Empty : "/" + Uri.EscapeDataString(database);
        return string.Create(CultureInfo.InvariantCulture, $"mysql://{credentials}@{Host}:{Port}{path}");
    }

    internal static string QuoteIdentifier(string name) => "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";

    private static Task StopStaleAsync(string folder)
    {
        var pid = ServerDirectory.ReadPid(Path.Combine(folder, "mariadbd.pid"));
        if (pid is int running && ServerDirectory.IsServerProcess(running, "mariadbd", folder))
        {
            using var process = Process.GetProcessById(running);
            process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        return Task.CompletedTask;
    }
}
