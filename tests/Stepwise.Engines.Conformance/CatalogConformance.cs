namespace Stepwise.Engines.Conformance;

/// <summary>Catalog questions (primary keys, row estimates, other tools' history tables) and the optional abilities.</summary>
public abstract class CatalogConformance(ConformanceTarget target)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task The_primary_key_comes_in_key_order_with_its_types()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(The_primary_key_comes_in_key_order_with_its_types));
        await db.ExecuteAsync("CREATE TABLE pk2 (a INT NOT NULL, note VARCHAR(10), b VARCHAR(20) NOT NULL, PRIMARY KEY (b, a))");
        var engine = await db.ConnectAsync();

        var key = await engine.Catalog.PrimaryKeyAsync("pk2", None);
        Assert.Equal(["b", "a"], key.Select(k => k.Name));
        Assert.Contains("char", key[0].SqlType, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("int", key[1].SqlType, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await engine.Catalog.PrimaryKeyAsync("missing_table", None));
    }

    [Fact]
    public async Task The_row_estimate_is_null_or_not_negative()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(The_row_estimate_is_null_or_not_negative));
        await db.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1), (2), (3)");
        var engine = await db.ConnectAsync();

        var estimate = await engine.Catalog.EstimateRowsAsync("t", None);
        Assert.True(estimate is null or >= 0, $"estimate {estimate}");
    }

    [Theory]
    [InlineData(null, new[] { "1", "2", "3", "4" })]
    [InlineData(HistoryTest.IsTrue, new[] { "1", "2", "4" })]
    [InlineData(HistoryTest.IsFalse, new[] { "1", "3", "4" })]
    [InlineData(HistoryTest.IsNull, new[] { "1", "2", "3" })]
    [InlineData(HistoryTest.IsNotNull, new[] { "1", "2", "4" })]
    public async Task A_foreign_history_table_is_read_with_its_conditions(HistoryTest? test, string[] expected)
    {
        await using var db = await target.CreateDatabaseAsync("foreign_history_" + test);
        await db.ExecuteAsync(
            "CREATE TABLE tool_history (version BIGINT NOT NULL, success BOOLEAN NOT NULL, dirty BOOLEAN NOT NULL, finished_at VARCHAR(30) NULL, removed_at VARCHAR(30) NULL)",
            "INSERT INTO tool_history VALUES (1, TRUE, FALSE, 'x', NULL), (2, TRUE, TRUE, 'x', NULL), (3, FALSE, FALSE, NULL, NULL), (4, TRUE, FALSE, 'x', 'y')");
        var engine = await db.ConnectAsync();

        // each test on the column that separates the rows
        var column = test switch
        {
            HistoryTest.IsTrue => "success",
            HistoryTest.IsFalse => "dirty",
            HistoryTest.IsNull => "removed_at",
            _ => "finished_at",
        };
        var history = new ForeignHistory("tool", "tool_history", "version", test is { } t ? [new HistoryCondition(column, t)] : []);

        var versions = await engine.Catalog.ReadForeignHistoryAsync(history, None);
        Assert.NotNull(versions);
        Assert.Equal(expected, versions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_foreign_history_is_read_with_all_its_conditions_and_is_null_when_the_table_is_missing()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(A_foreign_history_is_read_with_all_its_conditions_and_is_null_when_the_table_is_missing));
        await db.ExecuteAsync(
            "CREATE TABLE tool_history (version VARCHAR(50) NOT NULL, success BOOLEAN NOT NULL, dirty BOOLEAN NOT NULL, finished_at VARCHAR(30) NULL, removed_at VARCHAR(30) NULL)",
            "INSERT INTO tool_history VALUES ('V1', TRUE, FALSE, 'x', NULL), ('V2', TRUE, TRUE, 'x', NULL), ('V3', FALSE, FALSE, NULL, NULL), ('V4', TRUE, FALSE, 'x', 'y')");
        var engine = await db.ConnectAsync();
        var history = new ForeignHistory("tool", "tool_history", "version",
        [
            new HistoryCondition("success", HistoryTest.IsTrue),
            new HistoryCondition("dirty", HistoryTest.IsFalse),
            new HistoryCondition("finished_at", HistoryTest.IsNotNull),
            new HistoryCondition("removed_at", HistoryTest.IsNull),
        ]);

        Assert.Equal(["V1"], await engine.Catalog.ReadForeignHistoryAsync(history, None));
        Assert.Null(await engine.Catalog.ReadForeignHistoryAsync(history.WithTable("no_such_history"), None));
    }

    [Fact]
    public async Task The_engine_offers_exactly_the_abilities_it_has()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(The_engine_offers_exactly_the_abilities_it_has));
        var engine = await db.ConnectAsync();

        Assert.Equal(target.HasInvalidIndexCleanup, engine.Ability<IInvalidIndexCleanup>() is not null);
        Assert.Equal(target.HasDatabaseLockWaits, engine.Ability<IDatabaseLockWaits>() is not null);
        Assert.Null(engine.Ability<IDisposable>());
        Assert.Equal(target.Dialect, engine.Dialect);
        Assert.False(string.IsNullOrEmpty(engine.Server.Version));
    }
}
