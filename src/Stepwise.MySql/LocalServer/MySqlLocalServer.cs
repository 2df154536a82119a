using System.Diagnostics;
using System.Globalization;
using System.Text;
using MySqlConnector;
using Stepwise.Engines;
using Stepwise.Engines.LocalServers;

namespace Stepwise.MySql.LocalServer;

/// <summary>
/// A throwaway MariaDB (or MySQL) server that Stepwise starts itself from the binaries installed on this machine:
/// fresh system tables (mariadb-install-db, or <c>mysqld --initialize-insecure</c> for MySQL) in a temp folder, on
/// 127.0.0.1 and a free port, its socket in that folder, durability off. <c>root</c> logs in over TCP with a random
/// password; the empty database <c>stepwise</c> is its default. Disposing kills it (the data is thrown away) and
/// deletes the folder. As root, the server runs with <c>--user=root</c>.
/// </summary>
public sealed class MySqlLocalServer : ILocalServer
{
    private const string Host = "127.0.0.1";
    private const string DefaultDatabase = "stepwise";
    private const int Attempts = 5;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Shared by install and server: no syncing at all, a small buffer pool and log (the data is thrown away).</summary>
    private static readonly string[] MariaDbTuning =
    [
        "--debug-no-sync",
        "--innodb-flush-log-at-trx-commit=0",
        "--innodb-doublewrite=0",
        "--innodb-buffer-pool-size=32M",
        "--innodb-log-file-size=16M",
    ];

    private readonly Process _process;
    private readonly string _folder;
    private int _disposed;

    private MySqlLocalServer(Process process, string folder, DatabaseTarget server, string version)
    {
        _process = process;
        _folder = folder;
        Server = server;
        Version = version;
    }

    /// <inheritdoc/>
    public DatabaseTarget Server { get; }

    /// <inheritdoc/>
    public string Version { get; }

    /// <summary>The temp folder holding the data, the socket and the error log (gone after disposal).</summary>
    public string Folder => _folder;

    /// <summary>
    /// Starts a server from the binaries on the search path (mariadbd or mysqld, with mariadb-install-db or
    /// mysql_install_db for MariaDB); null when there are none. Throws <see cref="EngineException"/> when binaries
    /// exist but the server does not start.
    /// </summary>
    public static async Task<MySqlLocalServer?> StartAsync(CancellationToken cancellationToken)
    {
        var server = LocalServerTools.Which("mariadbd") ?? LocalServerTools.Which("mysqld");
        if (server is null)
        {
            return null;
        }

        var version = await VersionAsync(server, cancellationToken).ConfigureAwait(false);
        var mariaDb = version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase);
        var installDb = mariaDb ? LocalServerTools.Which("mariadb-install-db") ?? LocalServerTools.Which("mysql_install_db") : null;
        if (mariaDb && installDb is null)
        {
            return null;
        }

        return await StartAsync(server, installDb, version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Kills the server (its data is thrown away) and deletes its folder.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        try
        {
            MySqlConnection.ClearAllPools();
            LocalServerTools.Kill(_process);
            _process.Dispose();
        }
        finally
        {
            LocalServerTools.DeleteFolder(_folder);
        }

        return ValueTask.CompletedTask;
    }

    private static async Task<MySqlLocalServer> StartAsync(string server, string? installDb, string version, CancellationToken cancellationToken)
    {
        var folder = LocalServerTools.CreateFolder("stepwise-mysql-");
        var data = Path.Combine(folder, "data");
        var asRoot = LocalServerTools.IsRoot ? new[] { "--user=root" } : [];
        var tuning = installDb is null ? [] : MariaDbTuning;
        Process? process = null;
        try
        {
            var install = installDb is not null
                ? await LocalServerTools.RunAsync(
                    installDb,
                    [
                        "--no-defaults", $"--datadir={data}", "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve",
                        $"--tmpdir={folder}", .. asRoot, .. tuning,
                    ],
                    LocalServerTools.ToolTimeout,
                    cancellationToken).ConfigureAwait(false)
                : await LocalServerTools.RunAsync(
                    server,
                    ["--no-defaults", "--initialize-insecure", $"--datadir={data}", $"--tmpdir={folder}", .. asRoot],
                    LocalServerTools.ToolTimeout,
                    cancellationToken).ConfigureAwait(false);
            if (install.ExitCode != 0)
            {
                throw Failed(server, $"{Path.GetFileName(installDb ?? server)} failed (exit code {install.ExitCode}): {install.Output}");
            }

            // runs before the server accepts connections, so root can log in over TCP once it answers
            var password = LocalServerTools.RandomPassword();
            var initFile = Path.Combine(folder, "init.sql");
            await File.WriteAllTextAsync(
                initFile,
                $"""
                CREATE USER IF NOT EXISTS 'root'@'{Host}' IDENTIFIED BY '{password}';
                ALTER USER 'root'@'{Host}' IDENTIFIED BY '{password}';
                GRANT ALL PRIVILEGES ON *.* TO 'root'@'{Host}' WITH GRANT OPTION;
                CREATE DATABASE IF NOT EXISTS `{DefaultDatabase}`;

                """,
                cancellationToken).ConfigureAwait(false);

            var errorLog = Path.Combine(folder, "server.err");
            for (var attempt = 1; ; attempt++)
            {
                var port = LocalServerTools.FreePort();
                var output = new StringBuilder();
                process = LocalServerTools.Start(
                    server,
                    [
                        "--no-defaults", .. asRoot,
                        $"--datadir={data}",
                        $"--port={port.ToString(CultureInfo.InvariantCulture)}",
                        $"--bind-address={Host}",
                        $"--socket={Path.Combine(folder, "server.sock")}",
                        $"--pid-file={Path.Combine(folder, "server.pid")}",
                        $"--log-error={errorLog}",
                        $"--tmpdir={folder}",
                        $"--init-file={initFile}",
                        "--skip-name-resolve",
                        "--character-set-server=utf8mb4",
                        // `stepwise trace` reads metadata locks from performance_schema (off by default on MariaDB)
                        "--performance-schema=ON",
                        "--performance-schema-instrument=wait/lock/metadata/sql/mdl=ON",
                        .. tuning,
                    ],
                    output);
                var url = string.Create(CultureInfo.InvariantCulture, $"mysql://root:{password}@{Host}:{port}/{DefaultDatabase}");
                if (!DatabaseTarget.TryParse(url, out var target, out var error))
                {
                    throw new InvalidOperationException(error);
                }

                var failure = await WaitUntilReadyAsync(process, target!, cancellationToken).ConfigureAwait(false);
                if (failure is null)
                {
                    File.Delete(initFile);
                    return new MySqlLocalServer(process, folder, target!, version);
                }

                LocalServerTools.Kill(process);
                process.Dispose();
                process = null;
                var why = $"{failure}\n{output}\n{LocalServerTools.Tail(errorLog)}".Trim();
                if (attempt < Attempts && why.Contains("Address already in use", StringComparison.Ordinal))
                {
                    continue;
                }

                throw Failed(server, $"on {Host}:{port.ToString(CultureInfo.InvariantCulture)}: {why}");
            }
        }
        catch
        {
            if (process is not null)
            {
                LocalServerTools.Kill(process);
                process.Dispose();
            }

            LocalServerTools.DeleteFolder(folder);
            throw;
        }
    }

    /// <summary>Null once root can log in over TCP; otherwise why the server is not coming up.</summary>
    private static async Task<string?> WaitUntilReadyAsync(Process process, DatabaseTarget target, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var connectionString = new MySqlConnectionStringBuilder(MySqlConnectionString.Build(target)) { ConnectionTimeout = 5 }.ConnectionString;
        while (true)
        {
            if (process.HasExited)
            {
                return $"the server exited with code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}";
            }

            try
            {
                await using var connection = new MySqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (MySqlException) when (clock.Elapsed < ReadyTimeout)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
            catch (MySqlException e)
            {
                return $"no connection after {ReadyTimeout.TotalSeconds:0} s: {target.Scrub(e.Message)}";
            }
        }
    }

    private static async Task<string> VersionAsync(string server, CancellationToken cancellationToken)
    {
        var result = await LocalServerTools.RunAsync(server, ["--version"], TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? result.Output.Trim() : Path.GetFileName(server) + " (version unknown)";
    }

    private static EngineException Failed(string server, string why) =>
        new(ErrorKind.ConnectionLost, $"the local MySQL/MariaDB server ({server}) did not start: {why}");
}
