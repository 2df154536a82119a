using System.Data.Common;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>
/// The key-type matrix on PostgreSQL. Every database here runs in Asia/Tokyo: a timestamptz key read back as UTC
/// and written without its offset would be read as Tokyo time (issue 11, item 3). Text keys use an ICU
/// collation, where mixed case sorts differently from the bytes.
/// </summary>
[Collection("postgres")]
public sealed class BackfillKeyPostgresTests(PostgresFixture fixture) : BackfillKeyScenarios
{
    private const string Icu = "COLLATE \"en-x-icu\"";

    private static readonly Dictionary<string, KeyShape> Shapes = new()
    {
        ["int"] = new("id integer", "id", "g * 3 - 500"),
        ["bigint"] = new("id bigint", "id", "g * 10000000007"),
        ["numeric"] = new("id numeric(12, 3)", "id", "round(g / 7.0, 3)"),
        ["text"] = new($"id text {Icu}", "id", "(CASE g % 3 WHEN 0 THEN 'Ab' WHEN 1 THEN 'ab' ELSE 'a-B' END) || g"),
        ["uuid"] = new("id uuid", "id", "md5(g::text)::uuid"),
        ["bytea"] = new("id bytea", "id", "decode(md5(g::text), 'hex')"),
        ["date"] = new("id date", "id", "date '2001-01-01' + g * 3"),
        ["timestamp"] = new("id timestamp", "id", "timestamp '2020-01-01' + g * interval '61 minutes 1.234567 seconds'"),
        ["timestamptz minutes apart"] = new("id timestamptz", "id", "timestamptz '2020-01-01 00:00:00+00' + g * interval '1 minute 0.000001 seconds'"),
        ["timestamptz days apart"] = new("id timestamptz", "id", "timestamptz '2020-01-01 00:00:00+00' + g * interval '1 day'"),
        ["text, timestamptz, bytea"] = new($"a text {Icu}, b timestamptz, c bytea", "a, b, c",
            "(CASE g % 3 WHEN 0 THEN 'K' ELSE 'k' END) || (g % 2), timestamptz '2020-03-29 00:00+00' + (g % 7) * interval '1 hour', decode(md5(g::text), 'hex')"),
        ["uuid, int, date"] = new("a uuid, b integer, c date", "a, b, c", "md5((g % 3)::text)::uuid, g % 11, date '2020-01-01' + g"),
        ["numeric, timestamp"] = new("a numeric(6, 2), b timestamp", "a, b", "(g % 5) / 4.0, timestamp '2020-01-01' + g * interval '1.5 seconds'"),
    };

    private string _connectionString = string.Empty;

    public static TheoryData<string> ShapeNames => [.. Shapes.Keys];

    protected override string OldCheckpointTable => """
        CREATE TABLE IF NOT EXISTS stepwise_backfills (
          name TEXT PRIMARY KEY, table_name TEXT NOT NULL, state TEXT NOT NULL,
          last_key TEXT, end_key TEXT, rows_done BIGINT NOT NULL DEFAULT 0, batches BIGINT NOT NULL DEFAULT 0,
          updated_at TEXT)
        """;

    protected override async Task<string> NewDatabaseAsync(string test)
    {
        var database = new NpgsqlConnectionStringBuilder(await fixture.CreateDatabaseAsync(test)).Database!;
        _connectionString = fixture.Server.PasswordConnectionStringFor(database);
        await ExecAsync($"ALTER DATABASE \"{database}\" SET timezone = 'Asia/Tokyo'");
        return fixture.Server.PasswordUrlFor(database);
    }

    protected override DbConnection Open() => new NpgsqlConnection(_connectionString);

    protected override string Series(int n) => $"generate_series(1, {n}) AS s(g)";

    [Theory]
    [MemberData(nameof(ShapeNames))]
    public Task Key_round_trips(string shape) => Key_round_trips_core("pg_key_" + shape, Shapes[shape]);

    [Fact]
    public Task Killed_and_resumed_on_a_bytea_key() => Killed_and_resumed_core(nameof(Killed_and_resumed_on_a_bytea_key), Shapes["bytea"], 11_01);

    [Fact]
    public Task Killed_and_resumed_on_a_timestamptz_key() => Killed_and_resumed_core(nameof(Killed_and_resumed_on_a_timestamptz_key), Shapes["timestamptz minutes apart"], 11_02);
}

/// <summary>The key-type matrix on MariaDB: BINARY(16) UUIDs (issue 11, item 2), CHAR(36) UUIDs in upper case
/// under a binary collation (a Guid written back in lower case would sort elsewhere), UUID, DECIMAL, dates.</summary>
[Collection("mariadb")]
public sealed class BackfillKeyMariaDbTests(MariaDbFixture fixture) : BackfillKeyScenarios
{
    // a valid version-4 UUID text from MD5(g) (MariaDB's UUID type checks the variant)
    private const string Uuid = "CONCAT_WS('-', SUBSTR(MD5(g), 1, 8), SUBSTR(MD5(g), 9, 4), CONCAT('4', SUBSTR(MD5(g), 14, 3)), CONCAT('8', SUBSTR(MD5(g), 18, 3)), SUBSTR(MD5(g), 21, 12))";

    private static readonly Dictionary<string, KeyShape> Shapes = new()
    {
        ["int"] = new("id integer", "id", "g * 3 - 500"),
        ["bigint"] = new("id bigint", "id", "g * 10000000007"),
        ["bigint unsigned"] = new("id bigint unsigned", "id", "18446744073709551615 - g * 3"),
        ["decimal"] = new("id decimal(12, 3)", "id", "ROUND(g / 7, 3)"),
        ["varchar"] = new("id varchar(40)", "id", "CONCAT(CASE g % 3 WHEN 0 THEN 'Ab' WHEN 1 THEN 'ab-' ELSE 'aB_' END, g)"),
        ["binary(16)"] = new("id binary(16)", "id", "UNHEX(MD5(g))"),
        ["varbinary"] = new("id varbinary(20)", "id", "CONCAT(UNHEX(LPAD(HEX(g % 256), 2, '0')), UNHEX(MD5(g)))"),
        ["char(36) upper case, binary collation"] = new("id char(36) COLLATE utf8mb4_bin", "id", $"UPPER({Uuid})"),
        ["uuid"] = new("id uuid", "id", Uuid),
        ["date"] = new("id date", "id", "DATE_ADD('2001-01-01', INTERVAL g * 3 DAY)"),
        ["datetime(6)"] = new("id datetime(6)", "id", "DATE_ADD('2020-01-01', INTERVAL g * 3661234567 MICROSECOND)"),
        ["timestamp(6)"] = new("id timestamp(6)", "id", "DATE_ADD('2020-01-01', INTERVAL g * 3661234567 MICROSECOND)"),
        ["varchar, binary(16)"] = new("a varchar(10), b binary(16)", "a, b", "CONCAT(CASE g % 2 WHEN 0 THEN 'K' ELSE 'j' END, g % 3), UNHEX(MD5(g))"),
        ["date, int, datetime(6)"] = new("a date, b integer, c datetime(6)", "a, b, c", "DATE_ADD('2020-01-01', INTERVAL g % 4 DAY), g % 11, DATE_ADD('2020-01-01', INTERVAL g * 1500 MICROSECOND)"),
    };

    private string _connectionString = string.Empty;

    public static TheoryData<string> ShapeNames => [.. Shapes.Keys];

    protected override string OldCheckpointTable => """
        CREATE TABLE IF NOT EXISTS stepwise_backfills (
          name VARCHAR(191) NOT NULL PRIMARY KEY, table_name VARCHAR(500) NOT NULL, state VARCHAR(16) NOT NULL,
          last_key TEXT NULL, end_key TEXT NULL, rows_done BIGINT NOT NULL DEFAULT 0, batches BIGINT NOT NULL DEFAULT 0,
          updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
        """;

    protected override async Task<string> NewDatabaseAsync(string test)
    {
        var database = new MySqlConnectionStringBuilder(await fixture.CreateDatabaseAsync(test)).Database;
        _connectionString = fixture.Server.PasswordConnectionStringFor(database);
        return fixture.Server.PasswordUrlFor(database);
    }

    protected override DbConnection Open() => new MySqlConnection(_connectionString);

    protected override string Series(int n) => $"(SELECT CAST(seq AS SIGNED) AS g FROM seq_1_to_{n}) AS s";

    protected override string Concat(string a, string b) => $"CONCAT({a}, {b})";

    [Theory]
    [MemberData(nameof(ShapeNames))]
    public Task Key_round_trips(string shape) => Key_round_trips_core("my_key_" + shape, Shapes[shape]);

    [Fact]
    public Task Killed_and_resumed_on_a_binary16_key() => Killed_and_resumed_core(nameof(Killed_and_resumed_on_a_binary16_key), Shapes["binary(16)"], 11_03);

    [Fact]
    public Task Killed_and_resumed_on_a_datetime_composite_key() => Killed_and_resumed_core(nameof(Killed_and_resumed_on_a_datetime_composite_key), Shapes["date, int, datetime(6)"], 11_04);
}

/// <summary>The key-type matrix on SQLite, whose values keep their storage class: integers, reals, text under
/// NOCASE, blobs, and a NUMERIC column holding both integers and reals.</summary>
public sealed class BackfillKeySqliteTests : BackfillKeyScenarios
{
    private static readonly Dictionary<string, KeyShape> Shapes = new()
    {
        ["integer"] = new("id integer", "id", "g * 3 - 500"),
        ["bigint"] = new("id bigint", "id", "g * 10000000007"),
        ["real"] = new("id real", "id", "g / 7.0"),
        ["numeric, integers and reals"] = new("id numeric", "id", "g / 4.0"),
        ["text nocase"] = new("id text COLLATE NOCASE", "id", "(CASE g % 3 WHEN 0 THEN 'Ab' WHEN 1 THEN 'ab-' ELSE 'aB_' END) || g"),
        ["blob"] = new("id blob", "id", "CAST(char(g % 200 + 1, g / 7 + 1) || g AS BLOB)"),
        ["date text"] = new("id date", "id", "date('2001-01-01', '+' || (g * 3) || ' days')"),
        ["text nocase, blob"] = new("a text COLLATE NOCASE, b blob", "a, b", "(CASE g % 2 WHEN 0 THEN 'K' ELSE 'j' END) || (g % 3), CAST(char(g % 200 + 1) || g AS BLOB)"),
        ["real, integer"] = new("a real, b integer", "a, b", "(g % 5) / 4.0, g"),
    };

    private string _path = string.Empty;

    public static TheoryData<string> ShapeNames => [.. Shapes.Keys];

    protected override string OldCheckpointTable => """
        CREATE TABLE IF NOT EXISTS stepwise_backfills (
          name TEXT PRIMARY KEY, table_name TEXT NOT NULL, state TEXT NOT NULL,
          last_key TEXT, end_key TEXT, rows_done BIGINT NOT NULL DEFAULT 0, batches BIGINT NOT NULL DEFAULT 0,
          updated_at TEXT)
        """;

    protected override Task<string> NewDatabaseAsync(string test)
    {
        _path = Path.Combine(Dir, DatabaseNames.Unique(test) + ".db");
        return Task.FromResult("sqlite:" + _path);
    }

    protected override DbConnection Open() => new SqliteConnection($"Data Source={_path};Pooling=False");

    protected override string Series(int n) => $"(WITH RECURSIVE r(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM r WHERE g < {n}) SELECT g FROM r) AS s";

    [Theory]
    [MemberData(nameof(ShapeNames))]
    public Task Key_round_trips(string shape) => Key_round_trips_core("lite_key_" + shape, Shapes[shape]);

    [Fact]
    public Task Killed_and_resumed_on_a_blob_key() => Killed_and_resumed_core(nameof(Killed_and_resumed_on_a_blob_key), Shapes["blob"], 11_05);

    [Fact]
    public Task Killed_and_resumed_on_a_real_integer_key() => Killed_and_resumed_core(nameof(Killed_and_resumed_on_a_real_integer_key), Shapes["real, integer"], 11_06);
}
