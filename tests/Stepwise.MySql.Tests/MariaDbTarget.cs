using System.Data.Common;
using System.Globalization;
using MySqlConnector;
using Stepwise.Engines;
using Stepwise.Engines.Conformance;
using Stepwise.Sql;
using Stepwise.Testing;

namespace Stepwise.MySql.Tests;

/// <summary>The MySQL engine on a fresh MariaDB database of the shared server, as the password user; the second
/// connection is root's.</summary>
internal sealed class MariaDbTarget(MariaDbFixture fixture) : ConformanceTarget
{
    public override SqlDialect Dialect => SqlDialect.MySql;

    public override LockHolderKind HolderKind => LockHolderKind.Session;

    public override bool HasInvalidIndexCleanup => false;

    public override bool HasDatabaseLockWaits => false;

    // git show 1cfb847:src/Stepwise.MySql/MySqlEngine.cs, EnsureJournalAsync
    public override string PreviousJournalDdl => """
        CREATE TABLE IF NOT EXISTS stepwise_migrations (
          version VARCHAR(191) NOT NULL PRIMARY KEY,
          name VARCHAR(500) NOT NULL,
          checksum VARCHAR(64) NOT NULL,
          state VARCHAR(16) NOT NULL,
          applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
          duration_ms BIGINT NOT NULL DEFAULT 0,
          applied_by VARCHAR(200) NOT NULL DEFAULT '',
          statements_done INT NOT NULL DEFAULT 0,
          failed_statement_index INT NULL,
          failed_statement MEDIUMTEXT NULL,
          error TEXT NULL
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
        """;

    public override string TimestampLiteral(DateTimeOffset time) => $"'{time.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff}'";

    public override IReadOnlyList<string> HoldConflictingLock(string table) => [$"LOCK TABLES {table} WRITE"];

    public override string? Sleep(TimeSpan duration) => FormattableString.Invariant($"SELECT SLEEP({duration.TotalSeconds})");

    public override string DropIndex(string index, string table) => $"DROP INDEX {index} ON {table}";

    public override async Task<TestDatabase> CreateDatabaseAsync(string test)
    {
        var database = new MySqlConnectionStringBuilder(await fixture.CreateDatabaseAsync(test)).Database;
        return new MariaDbDatabase(fixture.Server, database);
    }

    private sealed class MariaDbDatabase(MariaDbServer server, string database) : TestDatabase
    {
        protected override IEngine CreateEngine()
        {
            Assert.True(DatabaseTarget.TryParse(server.PasswordUrlFor(database), out var target, out var error), error);
            return new MySqlEngine(target!);
        }

        public override async Task<DbConnection> OpenAsync()
        {
            var connection = new MySqlConnection(new MySqlConnectionStringBuilder(server.ConnectionStringFor(database)) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            return connection;
        }

        public override async Task<int> KillOtherSessionsAsync(DbConnection admin)
        {
            await using var cmd = admin.CreateCommand();
            cmd.CommandText = "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()";
            var ids = (await RawSql.QueryAsync(cmd)).Select(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture)).ToList();
            foreach (var id in ids)
            {
                await RawSql.ExecuteAsync(admin, FormattableString.Invariant($"KILL {id}"));
            }

            // KILL marks the thread; wait until it is gone
            for (var i = 0; i < 100 && Convert.ToInt64(await RawSql.ScalarAsync(admin, "SELECT count(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()"), CultureInfo.InvariantCulture) > 0; i++)
            {
                await Task.Delay(50);
            }

            return ids.Count;
        }

        public override async Task<IReadOnlyList<string>> ColumnsAsync(string table)
        {
            await using var connection = await OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{table}' ORDER BY ORDINAL_POSITION";
            return [.. (await RawSql.QueryAsync(cmd)).Select(r => (string)r[0]!)];
        }
    }
}
