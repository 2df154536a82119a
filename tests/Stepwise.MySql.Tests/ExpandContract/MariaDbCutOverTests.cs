using System.Collections.Concurrent;
using MySqlConnector;
using Stepwise.Engines;
using Stepwise.Testing;

namespace Stepwise.MySql.Tests.ExpandContract;

/// <summary>Contract's cut-over under concurrent writers: no write fails and none is lost between dropping the sync
/// triggers and swapping the shadow column in (LOCK TABLES makes writers wait for the instant ALTER).</summary>
[Collection("mariadb")]
public sealed class MariaDbCutOverTests(MariaDbFixture fixture)
{
    private readonly EcHarness _h = new(fixture);

    [Fact]
    public async Task Type_change_contract_under_concurrent_writers_loses_no_write()
    {
        var db = await _h.DatabaseAsync("ec_cutover_writers");
        var rows = string.Join(", ", Enumerable.Range(1, 20).Select(i => $"({i}, 0)"));
        await _h.ExecAsync(db, "CREATE TABLE w (id INT PRIMARY KEY, q INT NOT NULL, KEY iq (q)) ENGINE=InnoDB", $"INSERT INTO w VALUES {rows}");
        var plan = await _h.PlanAsync(db, new EcChangeColumnType("w", "q", "BIGINT", null) { Definition = "BIGINT NOT NULL" });
        await _h.RunAsync(db, plan.Expand);
        await _h.BackfillAsync(db, plan);

        // every write is a new row (a row written between a trigger drop and the swap would keep the shadow's implicit 0,
        // and no later write would hide it); q = id identifies a right row
        var written = new ConcurrentBag<long>();
        var failures = new ConcurrentBag<string>();
        var writesDuringContract = 0;
        var contracting = 0;
        using var stop = new CancellationTokenSource();
        async Task Writer(long first)
        {
            await using var c = await _h.OpenAsync(db);
            await EcHarness.ExecAsync(c, "SET SESSION lock_wait_timeout = 30");
            for (var id = first; !stop.IsCancellationRequested; id++)
            {
                try
                {
                    await EcHarness.ExecAsync(c, $"INSERT INTO w (id, q) VALUES ({id}, {id})");
                    written.Add(id);
                    if (Volatile.Read(ref contracting) == 1)
                    {
                        Interlocked.Increment(ref writesDuringContract);
                    }
                }
                catch (MySqlException ex)
                {
                    failures.Add(ex.Message);
                }
            }
        }

        var writers = new[] { Task.Run(() => Writer(1_000)), Task.Run(() => Writer(1_000_000)) };
        await Task.Delay(200);
        Volatile.Write(ref contracting, 1);
        await _h.RunAsync(db, plan.Contract);
        Volatile.Write(ref contracting, 0);
        await Task.Delay(100);
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.Empty(failures);
        Assert.True(writesDuringContract > 0, "no write ran while contract ran");
        await using var check = await _h.OpenAsync(db);
        Assert.Equal("bigint(20)", await EcHarness.ScalarAsync(check, "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'w' AND COLUMN_NAME = 'q'"));
        Assert.Equal(written.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), await EcHarness.ScalarAsync(check, "SELECT COUNT(*) FROM w WHERE id >= 1000"));
        Assert.Equal("0", await EcHarness.ScalarAsync(check, "SELECT COUNT(*) FROM w WHERE q <> id AND id >= 1000"));
    }
}

/// <summary>The guard before contract on a MariaDB started with performance_schema on (its own server: the shared
/// one runs with MariaDB's default, off).</summary>
public sealed class MariaDbOldNameUsageTests : IAsyncLifetime
{
    private MariaDbServer? _server;

    public async Task InitializeAsync() => _server = await MariaDbServer.StartAsync(["--performance-schema=ON"]);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Recent_uses_name_the_old_release_statements_and_not_the_new_release_the_triggers_or_the_backfill()
    {
        var server = _server!;
        var database = new MySqlConnectionStringBuilder(await server.CreateDatabaseAsync(DatabaseNames.Unique("ec_old_names_ps"))).Database;
        await using (var root = new MySqlConnection(server.ConnectionStringFor(database)))
        {
            await root.OpenAsync();
            await EcHarness.ExecAsync(root, $"GRANT SELECT ON performance_schema.* TO '{MariaDbServer.PasswordUser}'@'{MariaDbServer.Host}'");
            await EcHarness.ExecAsync(root, "CREATE TABLE t (id INT PRIMARY KEY, a INT NOT NULL, n INT NULL)");
            await EcHarness.ExecAsync(root, "CREATE TABLE gone (id INT PRIMARY KEY)");
            await EcHarness.ExecAsync(root, "INSERT INTO t VALUES (1, 1, 1), (2, 2, 2)");
        }

        Assert.True(DatabaseTarget.TryParse(server.PasswordUrlFor(database), out var target, out var error), error);
        await using var engine = new MySqlEngine(target!);
        await engine.ConnectAsync(CancellationToken.None);
        var plan = await engine.Ability<IExpandContractSql>()!.PlanAsync(EcHarness.Id, [new EcRenameColumn("t", "a", "b"), new EcRenameTable("gone", "kept")], CancellationToken.None);
        var builder = new MySqlConnectionStringBuilder(server.PasswordConnectionStringFor(database)) { AllowUserVariables = true };
        await using (var c = new MySqlConnection(builder.ConnectionString))
        {
            await c.OpenAsync();
            foreach (var step in plan.Expand)
            {
                await EcHarness.RunStepAsync(c, step);
            }

            foreach (var b in plan.Backfills)
            {
                await EcHarness.ExecAsync(c, $"UPDATE `{b.Table}` SET {b.Set} WHERE {b.Where}");
            }

            var usage = engine.Ability<IOldNameUsage>()!;
            Assert.Null(await usage.UnavailableBecauseAsync(CancellationToken.None));

            // only the new release so far
            await EcHarness.ExecAsync(c, "SELECT b FROM t WHERE id = 1");
            await EcHarness.ExecAsync(c, "UPDATE t SET b = 5 WHERE id = 2");
            await EcHarness.ExecAsync(c, "SELECT COUNT(*) FROM kept");
            Assert.Empty(await usage.RecentUsesAsync(plan.OldNames, TimeSpan.FromMinutes(15), CancellationToken.None));

            // then the old release
            await EcHarness.ExecAsync(c, "SELECT a FROM t WHERE id = 1");
            await EcHarness.ExecAsync(c, "SELECT a FROM t WHERE id = 2");
            await EcHarness.ExecAsync(c, "INSERT INTO gone VALUES (7)");
            var uses = await usage.RecentUsesAsync(plan.OldNames, TimeSpan.FromMinutes(15), CancellationToken.None);
            Assert.Equal(2, uses.Count);
            var select = Assert.Single(uses, u => u.Query.StartsWith("SELECT `a` FROM `t`", StringComparison.Ordinal));
            Assert.Equal(2, select.Calls);
            Assert.NotNull(select.LastSeen);
            Assert.Single(uses, u => u.Query.StartsWith("INSERT INTO `gone`", StringComparison.Ordinal));
        }
    }
}
