using System.Data.Common;
using Npgsql;
using Stepwise.Engines;
using Stepwise.Engines.Conformance;
using Stepwise.Sql;
using Stepwise.Testing;

namespace Stepwise.PostgreSql.Tests;

/// <summary>The PostgreSQL engine on a fresh database of the shared server, as its owner (not a superuser);
/// the second connection is the owner's too (so the engine may use what it makes, and it may end the engine's sessions).</summary>
internal sealed class PostgresTarget(PostgresFixture fixture) : ConformanceTarget
{
    public override SqlDialect Dialect => SqlDialect.PostgreSql;

    public override LockHolderKind HolderKind => LockHolderKind.Session;

    public override bool HasInvalidIndexCleanup => true;

    public override bool HasDatabaseLockWaits => false;

    public override TimeSpan LockTimeoutGranularity => TimeSpan.FromMilliseconds(300);

    // git show 1cfb847:src/Stepwise.PostgreSql/PostgresEngine.cs, EnsureJournalAsync
    public override string PreviousJournalDdl => """
        CREATE TABLE IF NOT EXISTS stepwise_migrations (
          version text PRIMARY KEY,
          name text NOT NULL,
          checksum text NOT NULL,
          state text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now(),
          duration_ms bigint NOT NULL DEFAULT 0,
          applied_by text NOT NULL DEFAULT '',
          statements_done integer NOT NULL DEFAULT 0,
          failed_statement_index integer,
          failed_statement text,
          error text
        )
        """;

    public override string TimestampLiteral(DateTimeOffset time) => $"TIMESTAMPTZ '{time.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff}+00'";

    public override IReadOnlyList<string> HoldConflictingLock(string table) => ["BEGIN", $"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"];

    public override string? Sleep(TimeSpan duration) => FormattableString.Invariant($"SELECT pg_sleep({duration.TotalSeconds})");

    public override string DropIndex(string index, string table) => $"DROP INDEX {index}";

    public override async Task<TestDatabase> CreateDatabaseAsync(string test)
    {
        var database = new NpgsqlConnectionStringBuilder(await fixture.CreateDatabaseAsync(test)).Database!;
        return new PostgresDatabase(fixture.Server, database);
    }

    private sealed class PostgresDatabase(PostgresServer server, string database) : TestDatabase
    {
        protected override IEngine CreateEngine()
        {
            Assert.True(DatabaseTarget.TryParse(server.PasswordUrlFor(database), out var target, out var error), error);
            return new PostgresEngine(target!);
        }

        public override async Task<DbConnection> OpenAsync()
        {
            var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.PasswordConnectionStringFor(database)) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            return connection;
        }

        public override async Task<int> KillOtherSessionsAsync(DbConnection admin) => Convert.ToInt32(await RawSql.ScalarAsync(admin, """
            SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000))
            FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
            """), System.Globalization.CultureInfo.InvariantCulture);

        public override async Task<IReadOnlyList<string>> ColumnsAsync(string table)
        {
            await using var connection = await OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{table}' ORDER BY ordinal_position";
            return [.. (await RawSql.QueryAsync(cmd)).Select(r => (string)r[0]!)];
        }
    }
}
