using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Stepwise.Engines;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Sqlite.Tests.ExpandContract;

/// <summary>A SQLite file in a temp folder, with what the expand/contract tests need: plan through the engine's
/// ability, run steps (each twice) the way the SQLite executor does, run a backfill, and snapshot the catalog.</summary>
internal sealed class EcDatabase : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("stepwise-sqlite-ec-").FullName;

    public string FilePath => Path.Combine(_folder, "test.db");

    public static async Task<EcDatabase> CreateAsync(string setup)
    {
        var db = new EcDatabase();
        await db.ExecAsync(setup);
        return db;
    }

    public async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task ExecAsync(string sql)
    {
        await using var c = await OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<List<string>> QueryAsync(string sql)
    {
        await using var c = await OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var cells = new string[reader.FieldCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
            }

            rows.Add(string.Join("|", cells));
        }

        return rows;
    }

    public async Task<EcPlan> PlanAsync(string id, params EcChange[] changes)
    {
        Assert.True(DatabaseTarget.TryParse("sqlite:" + FilePath, out var target, out var error), error);
        await using var engine = new SqliteEngine(target!);
        await engine.ConnectAsync(CancellationToken.None);
        var sql = engine.Ability<IExpandContractSql>();
        Assert.NotNull(sql);
        return await sql.PlanAsync(id, changes, CancellationToken.None);
    }

    /// <summary>Runs each step twice (a rerun after a crash must not fail), each run in its own transaction.</summary>
    public async Task RunAsync(IEnumerable<EcStep> steps)
    {
        foreach (var step in steps)
        {
            Assert.Equal(EcStepKind.Transaction, step.Kind);
            for (var run = 0; run < 2; run++)
            {
                await using var c = await OpenAsync();
                await using var tx = c.BeginTransaction();
                foreach (var statement in step.Statements)
                {
                    try
                    {
                        await SqliteExpandContractText.RunGuardedAsync(c, tx, statement, null, CancellationToken.None);
                    }
                    catch (SqliteException ex)
                    {
                        Assert.Fail($"step '{step.What}' (run {run + 1}) failed at {statement}: {ex.Message}");
                    }
                }

                await tx.CommitAsync();
            }
        }
    }

    /// <summary>The backfills as one UPDATE each (the core runs them in batches through the backfill runner).</summary>
    public async Task BackfillAsync(EcPlan plan)
    {
        foreach (var b in plan.Backfills)
        {
            await ExecAsync($"UPDATE \"{b.Table}\" SET {b.Set}{(b.Where is null ? string.Empty : " WHERE " + b.Where)}");
        }
    }

    public async Task ExpandAsync(EcPlan plan)
    {
        await RunAsync(plan.Expand);
        await BackfillAsync(plan);
    }

    /// <summary>The catalog as sorted lines: columns (pragma table_xinfo), indexes (index_list + index_xinfo),
    /// foreign keys, and views/triggers (sqlite_schema). Column order is ignored (expand/contract appends columns).</summary>
    public async Task<string> SnapshotAsync()
    {
        var lines = new List<string>();
        foreach (var obj in await QueryAsync("SELECT type, name, tbl_name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name"))
        {
            var parts = obj.Split('|');
            var (type, name) = (parts[0], parts[1]);
            switch (type)
            {
                case "table":
                    foreach (var col in await QueryAsync($"SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo('{name}')"))
                    {
                        lines.Add($"column {name}.{col}");
                    }

                    foreach (var idx in await QueryAsync($"SELECT name, \"unique\", origin, partial FROM pragma_index_list('{name}')"))
                    {
                        var index = idx.Split('|')[0];
                        var keys = await QueryAsync($"SELECT name, \"desc\", coll FROM pragma_index_xinfo('{index}') WHERE key = 1 ORDER BY seqno");
                        lines.Add($"index {name}: {idx} ({string.Join(", ", keys)})");
                    }

                    foreach (var fk in await QueryAsync($"SELECT \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list('{name}')"))
                    {
                        lines.Add($"fk {name}: {fk}");
                    }

                    lines.Add($"table {name} {(await QueryAsync($"SELECT wr, strict FROM pragma_table_list WHERE name = '{name}'"))[0]}");
                    break;
                case "index":
                    break; // with its table
                default:
                    lines.Add($"{obj}");
                    break;
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }

    public static EcStatement Statement(string sql, string? table = null)
    {
        var parsed = ParsedScript.Parse(new SourceText(sql), SqlDialect.Sqlite);
        return new EcStatement(table, sql, parsed.Statements[0]);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>One change run through its whole life: abort after every prefix of expand equals before; after
/// contract the catalog equals a twin given the plain SQL.</summary>
internal static class EcScenario
{
    public static async Task<string> SnapshotOfAsync(string setup, string? plain = null)
    {
        await using var db = await EcDatabase.CreateAsync(setup);
        if (plain is not null)
        {
            await db.ExecAsync(plain);
        }

        return await db.SnapshotAsync();
    }

    /// <summary>For every prefix of expand (none … all, then all + backfill): abort leaves the catalog as before.</summary>
    public static async Task AbortAfterEveryPrefixAsync(string setup, Func<EcChange[]> changes)
    {
        var before = await SnapshotOfAsync(setup);
        int count;
        {
            await using var probe = await EcDatabase.CreateAsync(setup);
            count = (await probe.PlanAsync("v1", changes())).Expand.Count;
        }

        for (var k = 0; k <= count + 1; k++)
        {
            await using var db = await EcDatabase.CreateAsync(setup);
            var plan = await db.PlanAsync("v1", changes());
            await db.RunAsync(plan.Expand.Take(k));
            if (k > count)
            {
                await db.BackfillAsync(plan);
            }

            await db.RunAsync(plan.Abort);
            Assert.True(before == await db.SnapshotAsync(), $"abort after {k} of {count} expand steps:\n{Diff(before, await db.SnapshotAsync())}");
        }
    }

    /// <summary>Expand, backfill, contract: the catalog equals the twin's given the plain SQL.</summary>
    public static async Task ContractEqualsPlainAsync(string setup, string plain, Func<EcChange[]> changes)
    {
        var twin = await SnapshotOfAsync(setup, plain);
        await using var db = await EcDatabase.CreateAsync(setup);
        var plan = await db.PlanAsync("v1", changes());
        await db.ExpandAsync(plan);
        await db.RunAsync(plan.Contract);
        var after = await db.SnapshotAsync();
        Assert.True(twin == after, $"after contract vs plain SQL:\n{Diff(twin, after)}");
    }

    public static string Diff(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var text = new StringBuilder();
        foreach (var line in e.Except(a))
        {
            text.Append("- ").AppendLine(line);
        }

        foreach (var line in a.Except(e))
        {
            text.Append("+ ").AppendLine(line);
        }

        return text.ToString();
    }
}
