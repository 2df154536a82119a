using System.Data.Common;
using Microsoft.Data.Sqlite;
using Stepwise.Engines;
using Stepwise.Engines.Conformance;
using Stepwise.Sql;

namespace Stepwise.Sqlite.Tests;

/// <summary>The SQLite engine on a database file in a fresh temp folder (deleted afterwards).</summary>
internal sealed class SqliteTarget : ConformanceTarget
{
    public override SqlDialect Dialect => SqlDialect.Sqlite;

    public override LockHolderKind HolderKind => LockHolderKind.LockFile;

    public override bool HasInvalidIndexCleanup => false;

    public override bool HasDatabaseLockWaits => true;

    // git show 1cfb847:src/Stepwise.Sqlite/SqliteEngine.cs, EnsureJournalAsync
    public override string PreviousJournalDdl => """
        CREATE TABLE IF NOT EXISTS stepwise_migrations (
          version TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          checksum TEXT NOT NULL,
          state TEXT NOT NULL,
          applied_at TEXT NOT NULL,
          duration_ms INTEGER NOT NULL DEFAULT 0,
          applied_by TEXT NOT NULL DEFAULT '',
          statements_done INTEGER NOT NULL DEFAULT 0,
          failed_statement_index INTEGER,
          failed_statement TEXT,
          error TEXT
        )
        """;

    // the previous release wrote DateTimeOffset.UtcNow.ToString("O")
    public override string TimestampLiteral(DateTimeOffset time) => $"'{time.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture)}'";

    public override IReadOnlyList<string> HoldConflictingLock(string table) => ["BEGIN IMMEDIATE", $"INSERT INTO {table} VALUES (-1)"];

    public override string? Sleep(TimeSpan duration) => null;

    public override string DropIndex(string index, string table) => $"DROP INDEX {index}";

    public override Task<TestDatabase> CreateDatabaseAsync(string test) => Task.FromResult<TestDatabase>(new SqliteDatabase());

    private sealed class SqliteDatabase : TestDatabase
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("stepwise-sqlite-conformance-").FullName;

        private string FilePath => Path.Combine(_folder, "test.db");

        protected override IEngine CreateEngine()
        {
            Assert.True(DatabaseTarget.TryParse("sqlite:" + FilePath, out var target, out var error), error);
            return new SqliteEngine(target!);
        }

        public override async Task<DbConnection> OpenAsync()
        {
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            return connection;
        }

        public override Task<int> KillOtherSessionsAsync(DbConnection admin) => throw new NotSupportedException("SQLite has no server sessions");

        public override async Task<IReadOnlyList<string>> ColumnsAsync(string table)
        {
            await using var connection = await OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid";
            return [.. (await RawSql.QueryAsync(cmd)).Select(r => (string)r[0]!)];
        }

        protected override ValueTask DisposeDatabaseAsync()
        {
            Directory.Delete(_folder, recursive: true);
            return ValueTask.CompletedTask;
        }
    }
}
