using Stepwise.Testing.Internal;

namespace Stepwise.Testing.Tests;

public sealed class ServerBinariesTests
{
    [Fact]
    public async Task Missing_PostgreSQL_binaries_fail_with_the_package_to_install()
    {
        // an empty search path hides dpkg and pg_config, as on a machine without PostgreSQL
        var error = await Assert.ThrowsAsync<DatabaseServerUnavailableException>(() => ServerBinaries.FindPostgresAsync(string.Empty));

        Assert.Equal("postgresql-15", error.Package);
        Assert.Contains("apt-get install -y postgresql-15", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_MariaDB_binaries_fail_with_the_package_to_install()
    {
        var error = await Assert.ThrowsAsync<DatabaseServerUnavailableException>(() => ServerBinaries.FindMariaDbAsync(string.Empty));

        Assert.Equal("mariadb-server", error.Package);
        Assert.Contains("apt-get install -y mariadb-server", error.Message, StringComparison.Ordinal);
        Assert.Contains("mariadbd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgreSQL_15_binaries_are_found_on_this_machine()
    {
        var binaries = await ServerBinaries.FindPostgresAsync(Tools.DefaultSearchPath);
        var version = await ChildProcess.RunAsync(binaries.Postgres, ["--version"]);

        Assert.True(binaries.Complete);
        Assert.Contains("(PostgreSQL) 15.", version.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pg_config_whose_folder_lacks_the_server_is_not_accepted()
    {
        var folder = Directory.CreateTempSubdirectory("stepwise-binaries-");
        try
        {
            var pgConfig = Path.Combine(folder.FullName, "pg_config");
            await File.WriteAllTextAsync(pgConfig, $"#!/bin/sh\necho {folder.FullName}\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(pgConfig, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            }

            var error = await Assert.ThrowsAsync<DatabaseServerUnavailableException>(() => ServerBinaries.FindPostgresAsync(folder.FullName));

            Assert.Contains($"pg_config --bindir gives {folder.FullName}, which lacks initdb", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
