using System.Diagnostics;
using System.Globalization;
using Stepwise.Engines;
using Stepwise.Engines.LocalServers;

namespace Stepwise.PostgreSql.LocalServer;

/// <summary>
/// A throwaway PostgreSQL server that Stepwise starts itself from the binaries installed on this machine: a fresh
/// cluster (initdb) in a temp folder, listening on 127.0.0.1 and a free port, durability off (fsync). The superuser
/// <c>postgres</c> logs in with a random password (scram-sha-256). Disposing stops it (immediate mode) and deletes
/// the folder. As root, initdb and pg_ctl run as the <c>postgres</c> system account (PostgreSQL refuses root).
/// </summary>
public sealed class PostgresLocalServer : ILocalServer
{
    private const string SuperUser = "postgres";
    private const string OsAccount = "postgres";
    private const int Attempts = 5;

    private readonly PostgresAccount _account;
    private readonly string _folder;
    private readonly string _pgCtl;
    private int _disposed;

    private PostgresLocalServer(PostgresAccount account, string folder, string pgCtl, DatabaseTarget server, string version)
    {
        _account = account;
        _folder = folder;
        _pgCtl = pgCtl;
        Server = server;
        Version = version;
    }

    /// <inheritdoc/>
    public DatabaseTarget Server { get; }

    /// <inheritdoc/>
    public string Version { get; }

    /// <summary>The temp folder holding the cluster, its socket and its log (gone after disposal).</summary>
    public string Folder => _folder;

    private string DataDirectory => Path.Combine(_folder, "data");

    /// <summary>
    /// Starts a server from the first complete set of binaries found (<see cref="FindBinDirectoryAsync"/>); null
    /// when there are none. Throws <see cref="EngineException"/> when binaries exist but the server does not start.
    /// </summary>
    public static async Task<PostgresLocalServer?> StartAsync(CancellationToken cancellationToken)
    {
        var binDirectory = await FindBinDirectoryAsync(cancellationToken).ConfigureAwait(false);
        return binDirectory is null ? null : await StartAsync(binDirectory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a server from the binaries (initdb, pg_ctl, postgres) in <paramref name="binDirectory"/>.</summary>
    public static async Task<PostgresLocalServer> StartAsync(string binDirectory, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(binDirectory);
        var binaries = new Binaries(binDirectory);
        if (!binaries.Complete)
        {
            throw new EngineException(ErrorKind.ConnectionLost, $"no PostgreSQL server binaries (initdb, pg_ctl, postgres) in {binDirectory}");
        }

        var account = await PostgresAccount.ResolveAsync(cancellationToken).ConfigureAwait(false);
        var version = await VersionAsync(binaries, cancellationToken).ConfigureAwait(false);
        var folder = LocalServerTools.CreateFolder("stepwise-pg-");
        var data = Path.Combine(folder, "data");
        var started = false;
        try
        {
            var password = LocalServerTools.RandomPassword();
            var passwordFile = Path.Combine(folder, "pw");
            await File.WriteAllTextAsync(passwordFile, password + "\n", cancellationToken).ConfigureAwait(false);
            await account.GiveAsync(folder, cancellationToken).ConfigureAwait(false);
            var init = await account.RunAsync(
                binaries.InitDb,
                ["-D", data, "-U", SuperUser, $"--pwfile={passwordFile}", "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale", "--no-sync"],
                cancellationToken).ConfigureAwait(false);
            File.Delete(passwordFile);
            if (init.ExitCode != 0)
            {
                throw Failed(binDirectory, $"initdb failed (exit code {init.ExitCode}): {init.Output}");
            }

            await File.AppendAllTextAsync(
                Path.Combine(data, "postgresql.conf"),
                $"""

                # throwaway server started by Stepwise: its data is deleted when it stops
                listen_addresses = '127.0.0.1'
                unix_socket_directories = '{folder.Replace("'", "''", StringComparison.Ordinal)}'
                fsync = off
                synchronous_commit = off
                full_page_writes = off

                """,
                cancellationToken).ConfigureAwait(false);

            var log = Path.Combine(folder, "postgres.log");
            for (var attempt = 1; ; attempt++)
            {
                // the port goes into the file (the last setting wins), not on pg_ctl's -o line, which passes through a shell
                var port = LocalServerTools.FreePort();
                await File.AppendAllTextAsync(Path.Combine(data, "postgresql.conf"), $"port = {port.ToString(CultureInfo.InvariantCulture)}\n", cancellationToken)
                    .ConfigureAwait(false);
                var start = await account.RunAsync(binaries.PgCtl, ["-D", data, "-l", log, "-w", "-t", "60", "-s", "start"], cancellationToken)
                    .ConfigureAwait(false);
                if (start.ExitCode == 0)
                {
                    started = true;
                    var url = string.Create(CultureInfo.InvariantCulture, $"postgres://{SuperUser}:{password}@127.0.0.1:{port}/postgres");
                    if (!DatabaseTarget.TryParse(url, out var target, out var error))
                    {
                        throw new InvalidOperationException(error);
                    }

                    return new PostgresLocalServer(account, folder, binaries.PgCtl, target!, version);
                }

                var why = $"{start.Output}\n{LocalServerTools.Tail(log)}".Trim();
                await StopAsync(account, binaries.PgCtl, data).ConfigureAwait(false);
                if (attempt < Attempts && why.Contains("Address already in use", StringComparison.Ordinal))
                {
                    continue;
                }

                throw Failed(binDirectory, $"pg_ctl start failed on 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}: {why}");
            }
        }
        catch
        {
            if (!started)
            {
                // pg_ctl can give up waiting while the postmaster is still coming up
                await StopAsync(account, binaries.PgCtl, data).ConfigureAwait(false);
                LocalServerTools.DeleteFolder(folder);
            }

            throw;
        }
    }

    /// <summary>
    /// The folder holding initdb, pg_ctl and postgres, or null: <c>pg_config --bindir</c>, then the folder of
    /// <c>initdb</c> on the search path (links followed), then the newest <c>/usr/lib/postgresql/*/bin</c>
    /// (Debian, Ubuntu) or <c>/usr/pgsql-*/bin</c> (RHEL).
    /// </summary>
    public static async Task<string?> FindBinDirectoryAsync(CancellationToken cancellationToken)
    {
        if (LocalServerTools.Which("pg_config") is { } pgConfig)
        {
            var bindir = await LocalServerTools.RunAsync(pgConfig, ["--bindir"], TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            if (bindir.ExitCode == 0 && new Binaries(bindir.Output.Trim()).Complete)
            {
                return bindir.Output.Trim();
            }
        }

        if (LocalServerTools.Which("initdb") is { } initDb && Path.GetDirectoryName(LocalServerTools.Resolve(initDb)) is { } folder
            && new Binaries(folder).Complete)
        {
            return folder;
        }

        return Versioned("/usr/lib/postgresql", name => name, "bin") ?? Versioned("/usr", name => name.StartsWith("pgsql-", StringComparison.Ordinal) ? name[6..] : null, "bin");
    }

    /// <summary>Stops the server (immediate mode: the data is thrown away) and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await StopAsync(_account, _pgCtl, DataDirectory).ConfigureAwait(false);
        }
        finally
        {
            LocalServerTools.DeleteFolder(_folder);
        }
    }

    /// <summary>The complete bin folder under <paramref name="root"/> whose version (the folder name) is highest.</summary>
    private static string? Versioned(string root, Func<string, string?> versionOf, string bin)
    {
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.EnumerateDirectories(root)
            .Select(d => (Folder: Path.Combine(d, bin), Version: versionOf(Path.GetFileName(d))))
            .Where(c => c.Version is not null && System.Version.TryParse(c.Version.Contains('.', StringComparison.Ordinal) ? c.Version : c.Version + ".0", out _))
            .Where(c => new Binaries(c.Folder).Complete)
            .OrderByDescending(c => System.Version.Parse(c.Version!.Contains('.', StringComparison.Ordinal) ? c.Version : c.Version + ".0"))
            .Select(c => c.Folder)
            .FirstOrDefault();
    }

    private static async Task<string> VersionAsync(Binaries binaries, CancellationToken cancellationToken)
    {
        var result = await LocalServerTools.RunAsync(binaries.Postgres, ["--version"], TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? result.Output.Trim() : "PostgreSQL (version unknown)";
    }

    private static async Task StopAsync(PostgresAccount account, string pgCtl, string data)
    {
        var pidFile = Path.Combine(data, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return;
        }

        var stop = await account.RunAsync(pgCtl, ["-D", data, "-m", "immediate", "-w", "-t", "30", "-s", "stop"], CancellationToken.None).ConfigureAwait(false);
        if (stop.ExitCode != 0 && ReadPid(pidFile) is int pid)
        {
            // pg_ctl could not stop it: end the postmaster itself
            try
            {
                using var process = Process.GetProcessById(pid);
                LocalServerTools.Kill(process);
            }
            catch (ArgumentException)
            {
                // already gone
            }
        }
    }

    private static int? ReadPid(string pidFile)
    {
        try
        {
            var first = File.ReadLines(pidFile).FirstOrDefault();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static EngineException Failed(string binDirectory, string why) =>
        new(ErrorKind.ConnectionLost, $"the local PostgreSQL server ({binDirectory}) did not start: {why}");

    /// <summary>initdb, pg_ctl and postgres in one folder.</summary>
    private sealed record Binaries(string Folder)
    {
        public string InitDb => Path.Combine(Folder, "initdb");

        public string PgCtl => Path.Combine(Folder, "pg_ctl");

        public string Postgres => Path.Combine(Folder, "postgres");

        public bool Complete => Folder.Length > 0 && LocalServerTools.IsExecutable(InitDb) && LocalServerTools.IsExecutable(PgCtl) && LocalServerTools.IsExecutable(Postgres);
    }

    /// <summary>Runs PostgreSQL's tools as this user, or, as root, as the <c>postgres</c> account through runuser.</summary>
    private sealed class PostgresAccount
    {
        private readonly string? _runUser;
        private readonly string? _chown;

        private PostgresAccount(string? runUser, string? chown)
        {
            _runUser = runUser;
            _chown = chown;
        }

        public static async Task<PostgresAccount> ResolveAsync(CancellationToken cancellationToken)
        {
            if (!LocalServerTools.IsRoot)
            {
                return new PostgresAccount(null, null);
            }

            var runUser = LocalServerTools.Which("runuser");
            var chown = LocalServerTools.Which("chown");
            var id = LocalServerTools.Which("id");
            if (runUser is null || chown is null || id is null)
            {
                throw new EngineException(
                    ErrorKind.ConnectionLost,
                    "PostgreSQL refuses to run as root, and runuser, chown or id (needed to run it as the postgres account) is missing: install util-linux and coreutils, or run Stepwise as another user");
            }

            var exists = await LocalServerTools.RunAsync(id, ["-u", OsAccount], TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            if (exists.ExitCode != 0)
            {
                throw new EngineException(
                    ErrorKind.ConnectionLost,
                    "PostgreSQL refuses to run as root, and there is no 'postgres' account to run it as: create one (useradd --system postgres) or run Stepwise as another user");
            }

            return new PostgresAccount(runUser, chown);
        }

        /// <summary>Hands the folder to the account that runs the server.</summary>
        public async Task GiveAsync(string folder, CancellationToken cancellationToken)
        {
            if (_chown is null)
            {
                return;
            }

            var result = await LocalServerTools.RunAsync(_chown, ["-R", OsAccount + ":", folder], TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new EngineException(ErrorKind.ConnectionLost, $"could not give {folder} to the postgres account: {result.Output}");
            }
        }

        public Task<ToolResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
            _runUser is null
                ? LocalServerTools.RunAsync(program, arguments, LocalServerTools.ToolTimeout, cancellationToken)
                : LocalServerTools.RunAsync(_runUser, ["-u", OsAccount, "--", program, .. arguments], LocalServerTools.ToolTimeout, cancellationToken);
    }
}
