using System.Globalization;
using MySqlConnector;
using Stepwise.Engines;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;
using Stepwise.Testing;

namespace Stepwise.MySql.Tests.ExpandContract;

/// <summary>Runs expand/contract plans against real MariaDB databases the way the core will: each step's statements in
/// order on one session (as the migration user), a backfill as one plain UPDATE; and snapshots the catalog.</summary>
internal sealed class EcHarness(MariaDbFixture fixture)
{
    public const string Id = "20260101_ec";

    /// <summary>A fresh database; returns its name.</summary>
    public async Task<string> DatabaseAsync(string hint)
    {
        var cs = await fixture.CreateDatabaseAsync(hint);
        return new MySqlConnectionStringBuilder(cs).Database;
    }

    /// <summary>A connection as the migration user (AllowUserVariables like the engine's).</summary>
    public async Task<MySqlConnection> OpenAsync(string database)
    {
        var builder = new MySqlConnectionStringBuilder(fixture.Server.PasswordConnectionStringFor(database)) { AllowUserVariables = true, Pooling = false };
        var connection = new MySqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task ExecAsync(string database, params string[] statements)
    {
        await using var c = await OpenAsync(database);
        foreach (var sql in statements)
        {
            await ExecAsync(c, sql);
        }
    }

    public static async Task ExecAsync(MySqlConnection c, string sql)
    {
        await using var cmd = new MySqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task<string?> ScalarAsync(MySqlConnection c, string sql)
    {
        await using var cmd = new MySqlCommand(sql, c);
        var value = await cmd.ExecuteScalarAsync();
        return value is null or DBNull ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Plans through the engine's ability, as the core does.</summary>
    public async Task<EcPlan> PlanAsync(string database, params EcChange[] changes)
    {
        Assert.True(DatabaseTarget.TryParse(fixture.Server.PasswordUrlFor(database), out var target, out var error), error);
        await using var engine = new MySqlEngine(target!);
        await engine.ConnectAsync(CancellationToken.None);
        var sql = engine.Ability<IExpandContractSql>();
        Assert.NotNull(sql);
        return await sql.PlanAsync(Id, changes, CancellationToken.None);
    }

    /// <summary>An "other statement" change: the SQL parsed as MySQL.</summary>
    public static EcStatement Statement(string sql, string? table)
    {
        var parsed = ParsedScript.Parse(new SourceText(sql), SqlDialect.MySql);
        return new EcStatement(table, sql, parsed.Statements.Single());
    }

    /// <summary>Runs the steps in order; each one <paramref name="times"/> times (idempotence).</summary>
    public async Task RunAsync(string database, IEnumerable<EcStep> steps, int times = 1)
    {
        await using var c = await OpenAsync(database);
        foreach (var step in steps)
        {
            for (var i = 0; i < times; i++)
            {
                await RunStepAsync(c, step);
            }
        }
    }

    /// <summary>A crash at every statement: for each step, each prefix of its statements runs on a connection that is
    /// then closed (as a killed run's would be: its LOCK TABLES and prepared statement go with it, a transaction rolls
    /// back), then the whole step runs, as the core's rerun would.</summary>
    public async Task RunCrashingAsync(string database, IEnumerable<EcStep> steps)
    {
        foreach (var step in steps)
        {
            for (var j = 1; j < step.Statements.Count; j++)
            {
                await using var crashed = await OpenAsync(database);
                await RunStepAsync(crashed, step, j, commit: false);
            }

            await using var c = await OpenAsync(database);
            await RunStepAsync(c, step);
        }
    }

    public static async Task RunStepAsync(MySqlConnection c, EcStep step, int? count = null, bool commit = true)
    {
        MySqlTransaction? tx = step.Kind == EcStepKind.Transaction ? await c.BeginTransactionAsync() : null;
        foreach (var sql in step.Statements.Take(count ?? step.Statements.Count))
        {
            try
            {
                await using var cmd = new MySqlCommand(sql, c, tx);
                await cmd.ExecuteNonQueryAsync();
            }
            catch (MySqlException ex)
            {
                throw new InvalidOperationException($"step '{step.What}' failed at: {sql}\n{ex.Message}", ex);
            }
        }

        if (tx is not null && commit)
        {
            await tx.CommitAsync();
        }
    }

    /// <summary>Each backfill as one plain UPDATE.</summary>
    public async Task BackfillAsync(string database, EcPlan plan)
    {
        await using var c = await OpenAsync(database);
        foreach (var b in plan.Backfills)
        {
            await ExecAsync(c, $"UPDATE `{b.Table}` SET {b.Set}{(b.Where is null ? string.Empty : " WHERE " + b.Where)}");
        }
    }

    /// <summary>The catalog of the database as sorted lines, column order ignored: tables and views, columns (type,
    /// nullability, default, extra, collation), indexes, constraints, foreign keys, checks, triggers, view definitions.</summary>
    public async Task<IReadOnlyList<string>> SnapshotAsync(string database)
    {
        await using var c = await OpenAsync(database);
        var lines = new List<string>();
        async Task Add(string kind, string sql)
        {
            await using var cmd = new MySqlCommand(sql, c);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var values = Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture));
                lines.Add(kind + " " + string.Join(" | ", values).Replace(database, "DB", StringComparison.Ordinal));
            }
        }

        await Add("table", "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()");
        await Add("column", "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLLATION_NAME, COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()");
        await Add("index", "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, SUB_PART, INDEX_TYPE FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()");
        await Add("constraint", "SELECT TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()");
        await Add("fk", "SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL");
        await Add("check", "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()");
        await Add("trigger", "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, EVENT_MANIPULATION, ACTION_TIMING FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()");
        await Add("view", "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()");
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}

/// <summary>A statement of the old or new release, with the value its scalar result must have (null: just succeed;
/// <see cref="Fails"/>: must fail).</summary>
internal sealed record Probe(string Sql, string? Expect = null)
{
    public const string Fails = "<fails>";
}
