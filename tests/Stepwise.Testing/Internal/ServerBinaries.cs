namespace Stepwise.Testing.Internal;

/// <summary>The PostgreSQL 15 programs a throwaway server needs.</summary>
internal sealed record PostgresBinaries(string BinDirectory)
{
    public string InitDb => Path.Combine(BinDirectory, "initdb");

    public string PgCtl => Path.Combine(BinDirectory, "pg_ctl");

    public string Postgres => Path.Combine(BinDirectory, "postgres");

    public bool Complete => Tools.IsExecutable(InitDb) && Tools.IsExecutable(PgCtl) && Tools.IsExecutable(Postgres);
}

/// <summary>The MariaDB programs a throwaway server needs.</summary>
internal sealed record MariaDbBinaries(string Server, string InstallDb);

/// <summary>
/// Locates server programs without hard-coded install paths: from the Debian package's file list or the
/// tools on the search path. Missing programs throw a message that names the package to install.
/// </summary>
internal static class ServerBinaries
{
    public const string PostgresPackage = "postgresql-15";
    public const string MariaDbPackage = "mariadb-server";

    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(30);
    private static readonly Lazy<Task<PostgresBinaries>> DefaultPostgres = new(() => FindPostgresAsync(Tools.DefaultSearchPath));
    private static readonly Lazy<Task<MariaDbBinaries>> DefaultMariaDb = new(() => FindMariaDbAsync(Tools.DefaultSearchPath));

    public static Task<PostgresBinaries> PostgresAsync() => DefaultPostgres.Value;

    public static Task<MariaDbBinaries> MariaDbAsync() => DefaultMariaDb.Value;

    /// <summary>
    /// <c>dpkg -L postgresql-15</c> first (exactly version 15 on Debian), then <c>pg_config --bindir</c>
    /// when its folder holds a version-15 server.
    /// </summary>
    internal static async Task<PostgresBinaries> FindPostgresAsync(string searchPath)
    {
        var tried = new List<string>();
        var dpkg = Tools.Which("dpkg", searchPath);
        if (dpkg is null)
        {
            tried.Add("dpkg is not on the search path");
        }
        else
        {
            var listed = await ChildProcess.RunAsync(dpkg, ["-L", PostgresPackage], Tools.ToolEnvironment, ToolTimeout).ConfigureAwait(false);
            var initDb = listed.ExitCode == 0
                ? listed.StandardOutput.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.EndsWith("/bin/initdb", StringComparison.Ordinal))
                : null;
            var found = initDb is null ? null : new PostgresBinaries(Path.GetDirectoryName(initDb)!);
            if (found is { Complete: true })
            {
                return found;
            }

            tried.Add(listed.ExitCode == 0
                ? $"dpkg -L {PostgresPackage} lists no complete bin folder"
                : $"dpkg -L {PostgresPackage}: the package is not installed");
        }

        var pgConfig = Tools.Which("pg_config", searchPath);
        if (pgConfig is null)
        {
            tried.Add("pg_config is not on the search path");
        }
        else
        {
            var bindir = await ChildProcess.RunAsync(pgConfig, ["--bindir"], Tools.ToolEnvironment, ToolTimeout).ConfigureAwait(false);
            var found = bindir.ExitCode == 0 ? new PostgresBinaries(bindir.StandardOutput.Trim()) : null;
            if (found is { Complete: true })
            {
                var version = await ChildProcess.RunAsync(found.Postgres, ["--version"], Tools.ToolEnvironment, ToolTimeout).ConfigureAwait(false);
                if (version.StandardOutput.Contains(") 15.", StringComparison.Ordinal))
                {
                    return found;
                }

                tried.Add($"pg_config --bindir gives {found.BinDirectory}, whose server is not version 15 ({version.StandardOutput.Trim()})");
            }
            else
            {
                tried.Add($"pg_config --bindir gives {bindir.StandardOutput.Trim()}, which lacks initdb, pg_ctl or postgres");
            }
        }

        throw new DatabaseServerUnavailableException(
            PostgresPackage,
            $"PostgreSQL 15 server binaries (initdb, pg_ctl, postgres) were not found: {string.Join("; ", tried)}. " +
            $"Install the Debian package {PostgresPackage} (sudo apt-get install -y {PostgresPackage}).");
    }

    /// <summary>mariadbd and mariadb-install-db on the search path, else from the server package's file list.</summary>
    internal static async Task<MariaDbBinaries> FindMariaDbAsync(string searchPath)
    {
        var server = Tools.Which("mariadbd", searchPath);
        var installDb = Tools.Which("mariadb-install-db", searchPath);
        if (server is not null && installDb is not null)
        {
            return new MariaDbBinaries(server, installDb);
        }

        var dpkg = Tools.Which("dpkg", searchPath);
        if (dpkg is not null)
        {
            var listed = await ChildProcess.RunAsync(dpkg, ["-L", "mariadb-server-core"], Tools.ToolEnvironment, ToolTimeout).ConfigureAwait(false);
            if (listed.ExitCode == 0)
            {
                var files = listed.StandardOutput.Split('\n').Select(l => l.Trim()).ToList();
                server ??= files.FirstOrDefault(f => f.EndsWith("/mariadbd", StringComparison.Ordinal) && Tools.IsExecutable(f));
                installDb ??= files.FirstOrDefault(f => f.EndsWith("/mariadb-install-db", StringComparison.Ordinal) && Tools.IsExecutable(f));
                if (server is not null && installDb is not null)
                {
                    return new MariaDbBinaries(server, installDb);
                }
            }
        }

        var missing = string.Join(" and ", new[] { server is null ? "mariadbd" : null, installDb is null ? "mariadb-install-db" : null }.OfType<string>());
        throw new DatabaseServerUnavailableException(
            MariaDbPackage,
            $"MariaDB server binaries were not found ({missing} is not on the search path or in dpkg -L mariadb-server-core). " +
            $"Install the Debian package {MariaDbPackage} (sudo apt-get install -y {MariaDbPackage}).");
    }
}
