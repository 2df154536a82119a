using System.Data.Common;
using System.Globalization;

namespace Stepwise.Engines.Conformance;

/// <summary>The backfill SQL on a composite (int, text) key, one of whose columns needs quoting: a keyset walk
/// (<c>WHERE key &gt; last ORDER BY key LIMIT n</c>) visits every row once, in key order, both ways.</summary>
public abstract class BackfillSqlConformance(ConformanceTarget target)
{
    private static readonly CancellationToken None = CancellationToken.None;

    // texts whose order differs from their numeric reading and from their length
    private static readonly string[] Texts = ["a", "a10", "a9", "b", "ba", "z0"];
    private static readonly int[] Numbers = [-3, 0, 2, 10, 11];

    /// <summary>Every key, in the order the walk must visit them (both columns compared as the database does:
    /// these texts sort the same under every collation the targets use).</summary>
    private static readonly (int Id, string Group)[] Keys =
        [.. Numbers.SelectMany(n => Texts.Select(t => (n, t))).OrderBy(k => k.n).ThenBy(k => k.t, StringComparer.Ordinal)];

    private static async Task<(IEngine Engine, IReadOnlyList<KeyColumn> Key, TestDatabase Db)> SeedAsync(TestDatabase db)
    {
        var engine = await db.ConnectAsync();
        var sql = engine.Backfill;
        var limits = new ExecutionLimits(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
        await engine.Executor.ExecuteAsync(
            $"CREATE TABLE {sql.Table("kv")} (v INT, {sql.Quote("group")} VARCHAR(20) NOT NULL, id INT NOT NULL, PRIMARY KEY (id, {sql.Quote("group")}))", limits, None);

        // inserted out of key order
        var values = string.Join(", ", Enumerable.Reverse(Keys).Select((k, i) => string.Create(CultureInfo.InvariantCulture, $"({i}, '{k.Group}', {k.Id})")));
        await engine.Executor.ExecuteAsync($"INSERT INTO {sql.Table("kv")} (v, {sql.Quote("group")}, id) VALUES {values}", limits, None);

        var key = await engine.Catalog.PrimaryKeyAsync("kv", None);
        Assert.Equal(["id", "group"], key.Select(k => k.Name));
        return (engine, key, db);
    }

    private static async Task<List<(int Id, string Group)>> WalkAsync(IEngine engine, IReadOnlyList<KeyColumn> key, bool descending, int batch)
    {
        var sql = engine.Backfill;
        await using var connection = await engine.Executor.OpenDataConnectionAsync(None);
        var visited = new List<(int, string)>();
        object?[]? last = null;
        var batches = 0;
        while (true)
        {
            await using var cmd = connection.CreateCommand();
            var where = last is null ? string.Empty : " WHERE " + sql.RowCompare(key, descending ? "<" : ">", "k");
            cmd.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"SELECT {string.Join(", ", key.Select(k => sql.Quote(k.Name)))} FROM {sql.Table("kv")}{where} ORDER BY {sql.OrderBy(key, descending)} LIMIT {batch}");
            for (var i = 0; last is not null && i < key.Count; i++)
            {
                AddParameter(cmd, $"@k{i}", last[i]);
            }

            var rows = await RawSql.QueryAsync(cmd);
            if (rows.Count == 0)
            {
                break;
            }

            batches++;
            Assert.True(batches <= Keys.Length, "the walk does not advance");
            visited.AddRange(rows.Select(r => (Convert.ToInt32(r[0], CultureInfo.InvariantCulture), (string)r[1]!)));
            last = rows[^1];
        }

        return visited;
    }

    private static void AddParameter(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }

    [Fact]
    public async Task A_keyset_walk_on_a_composite_key_visits_every_row_once_in_key_order()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(A_keyset_walk_on_a_composite_key_visits_every_row_once_in_key_order));
        var (engine, key, _) = await SeedAsync(db);

        foreach (var batch in new[] { 1, 4, 7, 100 })
        {
            Assert.Equal(Keys, await WalkAsync(engine, key, descending: false, batch));
        }
    }

    [Fact]
    public async Task A_descending_keyset_walk_visits_every_row_once_in_reverse_key_order()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(A_descending_keyset_walk_visits_every_row_once_in_reverse_key_order));
        var (engine, key, _) = await SeedAsync(db);

        Assert.Equal(Enumerable.Reverse(Keys), await WalkAsync(engine, key, descending: true, batch: 4));
    }

    [Fact]
    public async Task A_bounded_range_selects_the_rows_between_two_keys()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(A_bounded_range_selects_the_rows_between_two_keys));
        var (engine, key, _) = await SeedAsync(db);
        var sql = engine.Backfill;

        // (0, 'a9') < key <= (10, 'a10'): a batch's range, as an UPDATE between two checkpoints selects it
        await using var connection = await engine.Executor.OpenDataConnectionAsync(None);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT id, {sql.Quote("group")} FROM {sql.Table("kv")} WHERE {sql.RowCompare(key, ">", "lo")} AND {sql.RowCompare(key, "<=", "hi")} ORDER BY {sql.OrderBy(key)}";
        AddParameter(cmd, "@lo0", 0);
        AddParameter(cmd, "@lo1", "a9");
        AddParameter(cmd, "@hi0", 10);
        AddParameter(cmd, "@hi1", "a10");
        var rows = (await RawSql.QueryAsync(cmd)).Select(r => (Convert.ToInt32(r[0], CultureInfo.InvariantCulture), (string)r[1]!));

        var expected = Keys.SkipWhile(k => k != (0, "a9")).Skip(1).TakeWhile(k => k != (10, "a10")).Append((10, "a10"));
        Assert.Equal(expected, rows);
    }
}
