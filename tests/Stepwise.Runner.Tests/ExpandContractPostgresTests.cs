using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>`-- stepwise:expand-contract` end to end through the real `stepwise` program on PostgreSQL: a rename
/// and a type change with USING in one file, both releases during `expanded`, the guard before contract, complete
/// and abort compared with catalog snapshots.</summary>
[Collection("postgres")]
public sealed class ExpandContractPostgresTests(PostgresFixture fixture)
{
    private const string Catalog = """
        SELECT string_agg(x, E'\n' ORDER BY x) FROM (
          SELECT 'col ' || attname || ' ' || format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN ' not null' ELSE '' END || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') AS x
            FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
           WHERE attrelid = 'public.orders'::regclass AND attnum > 0 AND NOT attisdropped
          UNION ALL SELECT 'idx ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'orders'
          UNION ALL SELECT 'con ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'public.orders'::regclass
          UNION ALL SELECT 'trg ' || tgname FROM pg_trigger WHERE tgrelid = 'public.orders'::regclass AND NOT tgisinternal
          UNION ALL SELECT 'fn ' || proname FROM pg_proc WHERE proname LIKE '\_sw\_%'
          UNION ALL SELECT 'view ' || viewname FROM pg_views WHERE schemaname = 'public') s
        """;

    private static void Write(PgScenario s)
    {
        s.Write("0001_orders.sql", """
            CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, quantity integer NOT NULL DEFAULT 1);
            CREATE INDEX orders_customer ON orders (customer);
            INSERT INTO orders SELECT g, 'c' || g, g FROM generate_series(1, 2000) g;
            """);
        s.Write("0002_change.sql", """
            -- stepwise:expand-contract
            ALTER TABLE orders RENAME COLUMN customer TO customer_name;
            ALTER TABLE orders ALTER COLUMN quantity TYPE bigint USING quantity * 10;
            """);
    }

    private static async Task OkAsync(PgScenario s, params string[] args)
    {
        var r = await s.RunAsync(args);
        Assert.True(r.ExitCode == 0, PgScenario.Describe(r));
    }

    [Fact]
    public async Task Both_releases_work_while_expanded_and_complete_equals_the_plain_sql()
    {
        using var s = await PgScenario.CreateAsync(fixture);
        // the guard's source (the test server preloads it); the migration user must see the application's statements
        await s.ExecuteAsync("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; GRANT pg_read_all_stats TO " + PostgresServer.PasswordUser);
        Write(s);
        await OkAsync(s, "up");
        Assert.Equal("expanded", (await s.JournalAsync()).Single(r => r.Version == "0002").State);

        // existing rows: the new name holds the old values; the shadow of quantity holds USING's value
        Assert.Equal(0L, await s.ScalarAsync<long>("SELECT count(*) FROM orders WHERE customer_name IS DISTINCT FROM customer"));
        await s.ExecuteAsync("INSERT INTO orders (id, customer, quantity) VALUES (10001, 'old-release', 3)");
        Assert.Equal("old-release", await s.ScalarAsync<string>("SELECT customer_name FROM orders WHERE id = 10001"));
        await s.ExecuteAsync("INSERT INTO orders (id, customer_name, quantity) VALUES (10002, 'new-release', 4)");
        Assert.Equal("new-release", await s.ScalarAsync<string>("SELECT customer FROM orders WHERE id = 10002"));
        await s.ExecuteAsync("UPDATE orders SET customer_name = 'renamed', quantity = 7 WHERE id = 1");
        Assert.Equal("renamed", await s.ScalarAsync<string>("SELECT customer FROM orders WHERE id = 1"));
        await s.ExecuteAsync("DELETE FROM orders WHERE id = 2");

        // the guard: the old name was used just now
        var refused = await s.RunAsync("complete");
        Assert.True(refused.ExitCode == 1, PgScenario.Describe(refused));
        Assert.Contains("customer", refused.StandardOutput + refused.StandardError, StringComparison.Ordinal);
        Assert.Equal("expanded", (await s.JournalAsync()).Single(r => r.Version == "0002").State);

        await OkAsync(s, "complete", "--force");
        Assert.Equal("applied", (await s.JournalAsync()).Single(r => r.Version == "0002").State);
        Assert.Equal(30L, await s.ScalarAsync<long>("SELECT quantity FROM orders WHERE id = 3")); // USING quantity * 10
        Assert.Equal(70L, await s.ScalarAsync<long>("SELECT quantity FROM orders WHERE id = 1")); // written during expanded, converted
        Assert.Equal(30L, await s.ScalarAsync<long>("SELECT quantity FROM orders WHERE id = 10001"));
        Assert.Equal("new-release", await s.ScalarAsync<string>("SELECT customer_name FROM orders WHERE id = 10002"));
        Assert.Equal(2001L, await s.ScalarAsync<long>("SELECT count(*) FROM orders")); // 2,000 + two inserts - one delete
        var after = await s.ScalarAsync<string>(Catalog);

        // a twin given the plain SQL
        await s.ExecuteAsync("""
            CREATE SCHEMA twin;
            CREATE TABLE twin.orders (id bigint PRIMARY KEY, customer text NOT NULL, quantity integer NOT NULL DEFAULT 1);
            CREATE INDEX orders_customer ON twin.orders (customer);
            ALTER TABLE twin.orders RENAME COLUMN customer TO customer_name;
            ALTER TABLE twin.orders ALTER COLUMN quantity TYPE bigint USING quantity * 10;
            DROP TABLE orders CASCADE;
            ALTER TABLE twin.orders SET SCHEMA public;
            """);
        Assert.Equal(await s.ScalarAsync<string>(Catalog), after);
    }

    [Fact]
    public async Task Abort_after_up_restores_the_catalog_and_keeps_the_rows()
    {
        using var s = await PgScenario.CreateAsync(fixture);
        Write(s);
        await OkAsync(s, "up", "--to", "0001");
        var before = await s.ScalarAsync<string>(Catalog);
        await OkAsync(s, "up");
        await s.ExecuteAsync("INSERT INTO orders (id, customer_name, quantity) VALUES (10002, 'new-release', 4)");
        Assert.NotEqual(before, await s.ScalarAsync<string>(Catalog));
        await OkAsync(s, "abort");
        Assert.Equal(before, await s.ScalarAsync<string>(Catalog));
        Assert.DoesNotContain(await s.JournalAsync(), r => r.Version == "0002");
        Assert.Equal("new-release", await s.ScalarAsync<string>("SELECT customer FROM orders WHERE id = 10002"));
    }

    /// <summary>A rename on a table with no primary key and no unique key: the backfill walks ctid ranges while the old
    /// release inserts and updates through the old name; after `complete` every row holds its value under the new name.</summary>
    [Fact]
    public async Task Rename_on_a_table_without_a_primary_key_finishes_with_every_row_right()
    {
        using var s = await PgScenario.CreateAsync(fixture);
        s.Write("0001_log.sql", """
            CREATE TABLE log (seq integer NOT NULL, who text NOT NULL);
            INSERT INTO log SELECT g, 'w' || g FROM generate_series(1, 20000) g;
            """);
        await OkAsync(s, "up", "--to", "0001");
        s.Write("0002_rename.sql", "-- stepwise:expand-contract\nALTER TABLE log RENAME COLUMN who TO author;\n");
        using var stop = new CancellationTokenSource();
        long writes = 0;
        var writer = Task.Run(async () =>
        {
            await using var connection = await s.OpenAsync();
            var random = new Random(13);
            while (!stop.IsCancellationRequested)
            {
                var seq = random.Next(1, 20001);
                await using var cmd = new Npgsql.NpgsqlCommand(random.Next(2) == 0
                    ? $"INSERT INTO log (seq, who) VALUES ({seq + 100000}, 'w{seq + 100000}')"
                    : $"UPDATE log SET who = 'u' || seq WHERE seq = {seq}", connection);
                await cmd.ExecuteNonQueryAsync();
                writes++;
            }
        });
        var up = await s.RunAsync("up");
        await stop.CancelAsync();
        await writer;
        Assert.True(up.ExitCode == 0, PgScenario.Describe(up));
        // the backfill ran (by ctid ranges: the table has no key) and finished
        Assert.True(await s.ScalarAsync<long>("SELECT count(*) FROM stepwise_backfills WHERE table_name = 'log' AND state = 'done' AND rows_done > 0") == 1, "no finished backfill of log");
        Assert.True(writes > 50, $"the old release only wrote {writes} times while `up` ran");
        Assert.Equal(0L, await s.ScalarAsync<long>("SELECT count(*) FROM log WHERE author IS DISTINCT FROM who"));
        var expected = await s.ScalarAsync<string>("SELECT string_agg(seq || ':' || who, ',' ORDER BY seq, who) FROM log");
        await OkAsync(s, "complete", "--force");
        Assert.Equal(expected, await s.ScalarAsync<string>("SELECT string_agg(seq || ':' || author, ',' ORDER BY seq, author) FROM log"));
        Assert.False(await s.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'log'::regclass AND attname = 'who' AND NOT attisdropped)"));
    }
}
