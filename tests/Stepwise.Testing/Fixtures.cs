using System.Runtime.CompilerServices;

namespace Stepwise.Testing;

/// <summary>
/// One PostgreSQL server shared by the test classes of a collection. xunit 2 only finds collection
/// definitions in the test assembly itself, so each test project declares:
/// <code>
/// [CollectionDefinition("postgres")]
/// public sealed class PostgresCollection : ICollectionFixture&lt;PostgresFixture&gt;;
/// </code>
/// and marks each class <c>[Collection("postgres")]</c>, taking a <see cref="PostgresFixture"/> in its constructor.
/// Tests isolate themselves by database: <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("the PostgreSQL server has not started");

    /// <summary>A fresh database named after the calling test; returns the superuser's connection string for it.</summary>
    public Task<string> CreateDatabaseAsync([CallerMemberName] string test = "") =>
        Server.CreateDatabaseAsync(DatabaseNames.Unique(test));

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync().ConfigureAwait(false);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>
/// One MariaDB server shared by the test classes of a collection. Each test project declares:
/// <code>
/// [CollectionDefinition("mariadb")]
/// public sealed class MariaDbCollection : ICollectionFixture&lt;MariaDbFixture&gt;;
/// </code>
/// and marks each class <c>[Collection("mariadb")]</c>, taking a <see cref="MariaDbFixture"/> in its constructor.
/// </summary>
public sealed class MariaDbFixture : IAsyncLifetime
{
    private MariaDbServer? _server;

    public MariaDbServer Server => _server ?? throw new InvalidOperationException("the MariaDB server has not started");

    /// <summary>A fresh database named after the calling test; returns root's connection string for it.</summary>
    public Task<string> CreateDatabaseAsync([CallerMemberName] string test = "") =>
        Server.CreateDatabaseAsync(DatabaseNames.Unique(test));

    public async Task InitializeAsync() => _server = await MariaDbServer.StartAsync().ConfigureAwait(false);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>Database names that are unique and valid unquoted on both PostgreSQL and MariaDB.</summary>
public static class DatabaseNames
{
    /// <summary>
    /// Lower-case letters, digits and underscores from <paramref name="hint"/> (at most 40), then a random
    /// suffix: <c>create_table_works_1f3a9c0b</c>. Always under the 63-character identifier limit.
    /// </summary>
    public static string Unique(string hint)
    {
        ArgumentNullException.ThrowIfNull(hint);
        var chars = hint.ToLowerInvariant().Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '_').Take(40).ToArray();
        var stem = new string(chars).Trim('_');
        if (stem.Length == 0 || char.IsDigit(stem[0]))
        {
            stem = "db_" + stem;
        }

        return $"{stem}_{Guid.NewGuid().ToString("N")[..8]}";
    }
}
