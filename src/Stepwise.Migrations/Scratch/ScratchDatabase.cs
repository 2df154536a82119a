using System.Security.Cryptography;
using Stepwise.Engines;
using Stepwise.Sql;

namespace Stepwise.Migrations.Scratch;

/// <summary>
/// A throwaway database for `verify`, `diff` and `trace`: for SQLite a temp file; for PostgreSQL and MySQL a
/// database named <c>stepwise_scratch_&lt;random hex&gt;</c> created on a server where Stepwise may create and drop
/// databases (<see cref="IScratchDatabases"/>). Disposing drops it (the file is deleted), also after a
/// cancellation: callers dispose it in a <c>finally</c>/<c>await using</c>, which Ctrl-C unwinds through.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly IEngine? _admin;
    private readonly IScratchDatabases? _databases;
    private bool _disposed;

    private ScratchDatabase(DatabaseTarget target, string name, IEngine? admin, IScratchDatabases? databases)
    {
        Target = target;
        Name = name;
        _admin = admin;
        _databases = databases;
    }

    /// <summary>Where the scratch database is (connect with any engine for its dialect).</summary>
    public DatabaseTarget Target { get; }

    /// <summary>The database's name (SQLite: the file's name).</summary>
    public string Name { get; }

    /// <summary>A new random name: <c>stepwise_scratch_</c> and 12 hex digits.</summary>
    public static string NewName() => "stepwise_scratch_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>A SQLite scratch database: a new file in the temp folder.</summary>
    public static ScratchDatabase CreateSqlite()
    {
        var name = NewName();
        var path = Path.Combine(Path.GetTempPath(), name + ".db");
        if (!DatabaseTarget.TryParse("sqlite:" + path, out var target, out var error))
        {
            throw new InvalidOperationException(error);
        }

        return new ScratchDatabase(target!, name, null, null);
    }

    /// <summary>A scratch database on <paramref name="server"/> (PostgreSQL or MySQL; SQLite gets a temp file).
    /// Throws <see cref="EngineException"/> when the server cannot be reached or refuses CREATE DATABASE.</summary>
    /// <param name="server">A login to the server (any existing database, e.g. <c>postgres</c>).</param>
    /// <param name="engines">Makes the engine for a target.</param>
    /// <param name="cancellationToken">Stops the creation.</param>
    public static async Task<ScratchDatabase> CreateAsync(DatabaseTarget server, Func<DatabaseTarget, IEngine> engines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(engines);
        if (server.Dialect == SqlDialect.Sqlite)
        {
            return CreateSqlite();
        }

        var admin = engines(server);
        try
        {
            await admin.ConnectAsync(cancellationToken).ConfigureAwait(false);
            var databases = admin.Ability<IScratchDatabases>() ?? throw new EngineException(ErrorKind.Statement, $"the {server.Dialect} engine cannot create scratch databases");
            var name = NewName();
            var target = await databases.CreateAsync(name, cancellationToken).ConfigureAwait(false);
            return new ScratchDatabase(target, name, admin, databases);
        }
        catch
        {
            await admin.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Drops the database (deletes the file); never throws for a database that is already gone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_admin is null)
        {
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm", "-journal", ".stepwise-lock" })
            {
                try
                {
                    File.Delete(Target.FilePath + suffix);
                }
                catch (IOException)
                {
                    // best effort: a temp file
                }
            }

            return;
        }

        try
        {
            await _databases!.DropAsync(Name, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _admin.DisposeAsync().ConfigureAwait(false);
        }
    }
}
