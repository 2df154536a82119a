using MySqlConnector;
using Stepwise.Engines;
using Stepwise.Sql;
using Stepwise.Testing;

namespace Stepwise.MySql.Tests.ExpandContract;

/// <summary>Every operation on a real MariaDB: coexistence during `expanded`, contract equals the plain SQL on a twin
/// database, abort after every prefix of expand equals the catalog before, every step run twice.</summary>
[Collection("mariadb")]
public sealed class MariaDbExpandContractTests(MariaDbFixture fixture)
{
    private readonly EcHarness _h = new(fixture);

    public static TheoryData<string> Cases() => EcCases.Names();

    private static async Task ProbeAsync(MySqlConnection c, IEnumerable<Probe> probes, string phase)
    {
        foreach (var probe in probes)
        {
            if (probe.Expect == Probe.Fails)
            {
                await Assert.ThrowsAsync<MySqlException>(() => EcHarness.ExecAsync(c, probe.Sql));
                continue;
            }

            try
            {
                if (probe.Expect is null)
                {
                    await EcHarness.ExecAsync(c, probe.Sql);
                }
                else
                {
                    Assert.Equal((probe.Expect, probe.Sql), (await EcHarness.ScalarAsync(c, probe.Sql), probe.Sql));
                }
            }
            catch (MySqlException ex)
            {
                Assert.Fail($"{phase}: `{probe.Sql}` failed: {ex.Message}");
            }
        }
    }

    /// <summary>(1) after expand + backfill both releases work and see each other's writes; (2) after contract the catalog
    /// equals a twin where the plain SQL ran; (4) every expand and contract step runs twice.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Expand_backfill_coexist_then_contract_equals_plain_sql(string name)
    {
        var ec = EcCases.Get(name);
        var db = await _h.DatabaseAsync("ec_" + name);
        var twin = await _h.DatabaseAsync("ec_twin_" + name);
        await _h.ExecAsync(db, ec.Setup);
        await _h.ExecAsync(twin, [.. ec.Setup, .. ec.Plain]);

        var plan = await _h.PlanAsync(db, ec.Changes());
        await _h.RunAsync(db, plan.Expand, times: 2);
        await _h.BackfillAsync(db, plan);
        await using (var c = await _h.OpenAsync(db))
        {
            await ProbeAsync(c, ec.Coexist, "expanded");
        }

        await _h.RunAsync(db, plan.Contract, times: 2);
        Assert.Equal(await _h.SnapshotAsync(twin), await _h.SnapshotAsync(db));
        await using (var c = await _h.OpenAsync(db))
        {
            await ProbeAsync(c, ec.AfterContract, "contracted");
        }
    }

    /// <summary>A crash after any statement of any step of expand and of contract, then the rerun of that step: the end
    /// state is still the plain SQL's, and both releases work in between.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Crash_after_any_statement_then_rerun_still_ends_as_plain_sql(string name)
    {
        var ec = EcCases.Get(name);
        var db = await _h.DatabaseAsync("ec_crash_" + name);
        var twin = await _h.DatabaseAsync("ec_crash_twin_" + name);
        await _h.ExecAsync(db, ec.Setup);
        await _h.ExecAsync(twin, [.. ec.Setup, .. ec.Plain]);
        var plan = await _h.PlanAsync(db, ec.Changes());
        await _h.RunCrashingAsync(db, plan.Expand);
        await _h.BackfillAsync(db, plan);
        await using (var c = await _h.OpenAsync(db))
        {
            await ProbeAsync(c, ec.Coexist, "expanded");
        }

        await _h.RunCrashingAsync(db, plan.Contract);
        Assert.Equal(await _h.SnapshotAsync(twin), await _h.SnapshotAsync(db));
    }

    /// <summary>The snapshot sees what the comparisons rely on (type, nullability, default, index, trigger, view) and
    /// ignores column order.</summary>
    [Fact]
    public async Task Snapshot_tells_catalogs_apart_but_ignores_column_order()
    {
        var baseline = "CREATE TABLE t (id INT PRIMARY KEY, a INT NULL, b VARCHAR(5) NOT NULL DEFAULT 'x', KEY ia (a))";
        var variants = new[]
        {
            "CREATE TABLE t (id INT PRIMARY KEY, a BIGINT NULL, b VARCHAR(5) NOT NULL DEFAULT 'x', KEY ia (a))",
            "CREATE TABLE t (id INT PRIMARY KEY, a INT NOT NULL, b VARCHAR(5) NOT NULL DEFAULT 'x', KEY ia (a))",
            "CREATE TABLE t (id INT PRIMARY KEY, a INT NULL, b VARCHAR(5) NOT NULL DEFAULT 'y', KEY ia (a))",
            "CREATE TABLE t (id INT PRIMARY KEY, a INT NULL, b VARCHAR(5) NOT NULL DEFAULT 'x', KEY ia (a, b))",
            "CREATE TABLE t (id INT PRIMARY KEY, a INT NULL, b VARCHAR(5) NOT NULL DEFAULT 'x', KEY ia (a)); CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1",
            "CREATE TABLE t (id INT PRIMARY KEY, a INT NULL, b VARCHAR(5) NOT NULL DEFAULT 'x', KEY ia (a)); CREATE VIEW v AS SELECT id FROM t",
        };
        var db = await _h.DatabaseAsync("ec_snapshot_base");
        await _h.ExecAsync(db, baseline);
        var expected = await _h.SnapshotAsync(db);
        var reordered = await _h.DatabaseAsync("ec_snapshot_order");
        await _h.ExecAsync(reordered, "CREATE TABLE t (b VARCHAR(5) NOT NULL DEFAULT 'x', id INT PRIMARY KEY, a INT NULL, KEY ia (a))");
        Assert.Equal(expected, await _h.SnapshotAsync(reordered));
        foreach (var variant in variants)
        {
            var other = await _h.DatabaseAsync("ec_snapshot_variant");
            await _h.ExecAsync(other, variant.Split("; ", StringSplitOptions.RemoveEmptyEntries));
            Assert.NotEqual(expected, await _h.SnapshotAsync(other));
        }
    }

    /// <summary>(3) abort after each prefix of expand (down to single statements; all steps + backfill + both releases'
    /// writes) leaves the catalog as before; abort steps survive a crash after any statement and run twice.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Abort_after_any_prefix_of_expand_restores_the_catalog(string name)
    {
        var ec = EcCases.Get(name);
        var db = await _h.DatabaseAsync("ec_abort_" + name);
        await _h.ExecAsync(db, ec.Setup);
        var before = await _h.SnapshotAsync(db);
        var plan = await _h.PlanAsync(db, ec.Changes());
        // stop after every statement of every expand step (a killed `up`), then after all of expand + backfill + both
        // releases' writes; abort, itself crashing after every statement of each of its steps and run once more whole
        var stops = plan.Expand.SelectMany((step, i) => Enumerable.Range(0, step.Statements.Count).Select(j => (i, j))).Append((plan.Expand.Count, 0));
        foreach (var (i, j) in stops)
        {
            await _h.RunAsync(db, plan.Expand.Take(i));
            if (i < plan.Expand.Count)
            {
                await using var crashed = await _h.OpenAsync(db);
                await EcHarness.RunStepAsync(crashed, plan.Expand[i], j, commit: false);
            }
            else
            {
                await _h.BackfillAsync(db, plan);
                await using var c = await _h.OpenAsync(db);
                await ProbeAsync(c, ec.Coexist, "expanded");
            }

            await _h.RunCrashingAsync(db, plan.Abort);
            await _h.RunAsync(db, plan.Abort);
            Assert.Equal(before, await _h.SnapshotAsync(db));
        }
    }

    [Theory]
    [InlineData("CREATE TABLE t (id INT PRIMARY KEY, a INT)", "rename_pk", "primary key")]
    [InlineData("CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE t (id INT PRIMARY KEY, a INT, CONSTRAINT fk_a FOREIGN KEY (a) REFERENCES p (id))", "rename_fk", "foreign key fk_a")]
    [InlineData("CREATE TABLE t (id INT PRIMARY KEY, a INT); CREATE VIEW tv AS SELECT a FROM t", "rename_view", "view tv")]
    [InlineData("CREATE TABLE t (id INT PRIMARY KEY, a INT, g INT AS (a + 1) VIRTUAL)", "rename_generated", "generated")]
    [InlineData("CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(20))", "fulltext", "FULLTEXT")]
    [InlineData("CREATE TABLE t (id INT PRIMARY KEY, a INT)", "check", "CHECK")]
    [InlineData("CREATE TABLE t (id INT PRIMARY KEY, a INT)", "drop_pk_column", "primary key")]
    [InlineData("CREATE TABLE t (id INT PRIMARY KEY, a INT)", "missing", "does not exist")]
    public async Task Plan_refuses_what_it_cannot_run_safely_and_says_why(string setup, string what, string reason)
    {
        var db = await _h.DatabaseAsync("ec_refuse_" + what);
        await _h.ExecAsync(db, setup.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        EcChange change = what switch
        {
            "rename_pk" => new EcRenameColumn("t", "id", "key_id"),
            "rename_generated" => new EcRenameColumn("t", "g", "g2"),
            "fulltext" => EcHarness.Statement("CREATE FULLTEXT INDEX ft ON t (a)", "t"),
            "check" => EcHarness.Statement("ALTER TABLE t ADD CONSTRAINT ck CHECK (a > 0)", "t"),
            "drop_pk_column" => new EcDropColumn("t", "id"),
            "missing" => new EcRenameColumn("nope", "a", "b"),
            _ => new EcRenameColumn("t", "a", "b"),
        };
        var ex = await Assert.ThrowsAsync<EcPlanException>(() => _h.PlanAsync(db, change));
        Assert.Contains(reason, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What the design rests on (MariaDB, strict mode): a BEFORE INSERT trigger sees NULL for a NOT NULL column
    /// without DEFAULT that the INSERT leaves out, and can fill it; NOT NULL is checked after the trigger.</summary>
    [Fact]
    public async Task Before_insert_trigger_fills_an_omitted_not_null_column_in_strict_mode()
    {
        var db = await _h.DatabaseAsync("ec_trigger_fill");
        await using var c = await _h.OpenAsync(db);
        Assert.Contains("STRICT_TRANS_TABLES", await EcHarness.ScalarAsync(c, "SELECT @@sql_mode"), StringComparison.Ordinal);
        await EcHarness.ExecAsync(c, "CREATE TABLE f (id INT PRIMARY KEY, a INT NOT NULL, b INT NULL)");
        await Assert.ThrowsAsync<MySqlException>(() => EcHarness.ExecAsync(c, "INSERT INTO f (id, b) VALUES (1, 5)"));
        await EcHarness.ExecAsync(c, "CREATE TRIGGER f_bi BEFORE INSERT ON f FOR EACH ROW BEGIN IF NEW.a IS NULL THEN SET NEW.a = NEW.b; END IF; END");
        await EcHarness.ExecAsync(c, "INSERT INTO f (id, b) VALUES (1, 5)");
        Assert.Equal("5", await EcHarness.ScalarAsync(c, "SELECT a FROM f WHERE id = 1"));
    }

    [Fact]
    public async Task Old_name_usage_says_why_it_cannot_tell_when_performance_schema_is_off()
    {
        var db = await _h.DatabaseAsync("ec_old_names");
        Assert.True(DatabaseTarget.TryParse(fixture.Server.PasswordUrlFor(db), out var target, out var error), error);
        await using var engine = new MySqlEngine(target!);
        await engine.ConnectAsync(CancellationToken.None);
        var usage = engine.Ability<IOldNameUsage>();
        Assert.NotNull(usage);
        await using var c = await _h.OpenAsync(db);
        var on = await EcHarness.ScalarAsync(c, "SELECT @@performance_schema") == "1";
        var why = await usage.UnavailableBecauseAsync(CancellationToken.None);
        if (on)
        {
            Assert.Null(why);
        }
        else
        {
            Assert.Contains("performance_schema is off", why, StringComparison.Ordinal);
        }
    }
}
