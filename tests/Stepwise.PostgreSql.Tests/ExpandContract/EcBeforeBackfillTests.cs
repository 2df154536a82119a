using Stepwise.Engines;
using Stepwise.Testing;

namespace Stepwise.PostgreSql.Tests.ExpandContract;

/// <summary>Between expand's steps and the end of the backfill, rows not reached yet have NULL on the new side.
/// The application's writes to them must still succeed (the NOT VALID check applies to every written row) — found
/// by bench/zero-downtime.sh: an UPDATE that set the old column to the value it already had failed.</summary>
[Collection("postgres")]
public sealed class EcBeforeBackfillTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Writes_to_rows_the_backfill_has_not_reached_fill_the_new_side()
    {
        await using var db = await new PostgresTarget(fixture).CreateDatabaseAsync(nameof(Writes_to_rows_the_backfill_has_not_reached_fill_the_new_side));
        await db.ExecuteAsync(
            "CREATE TABLE a (id int PRIMARY KEY, name text NOT NULL, qty integer NOT NULL, note text)",
            "INSERT INTO a SELECT g, 'n' || g, g, NULL FROM generate_series(1, 10) g");
        var plan = await EcHarness.PlanAsync(db, "20261203_nb", new EcRenameColumn("a", "name", "display_name"), new EcChangeColumnType("a", "qty", "bigint", null));
        await EcHarness.RunAsync(db, plan.Expand); // no backfill yet

        await db.ExecuteAsync(
            "UPDATE a SET qty = 1 WHERE id = 1", // the value it already had
            "UPDATE a SET name = 'n2' WHERE id = 2", // the value it already had
            "UPDATE a SET note = 'x' WHERE id = 3"); // another column
        Assert.Equal("n1", await db.ScalarAsync("SELECT display_name FROM a WHERE id = 1"));
        Assert.Equal(1L, await db.ScalarAsync("SELECT \"_sw_20261203_nb_qty\" FROM a WHERE id = 1"));
        Assert.Equal("n2", await db.ScalarAsync("SELECT display_name FROM a WHERE id = 2"));
        Assert.Equal(3L, await db.ScalarAsync("SELECT \"_sw_20261203_nb_qty\" FROM a WHERE id = 3"));
        Assert.Equal("n3", await db.ScalarAsync("SELECT display_name FROM a WHERE id = 3"));
    }
}
