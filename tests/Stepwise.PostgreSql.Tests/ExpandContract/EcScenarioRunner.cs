using System.Globalization;
using Stepwise.Engines;
using Stepwise.Engines.Conformance;

namespace Stepwise.PostgreSql.Tests.ExpandContract;

/// <summary>The four checks of an operation: (1) after expand + backfill both releases' statements succeed and see
/// each other's writes; (2) after contract the catalog equals a twin's that ran the plain SQL; (3) abort after every
/// prefix of expand (and after expand + backfill) leaves the catalog and the data as before; (4) every step runs twice.</summary>
internal static class EcScenarioRunner
{
    public static async Task RunAsync(PostgresTarget target, EcScenario s, string test)
    {
        await using var twin = await target.CreateDatabaseAsync(test + "_twin");
        await twin.ExecuteAsync([.. s.Setup, .. s.Plain]);
        var expected = await EcHarness.SnapshotAsync(twin);
        Assert.Contains("column ", expected, StringComparison.Ordinal);
        Assert.Contains("index ", expected, StringComparison.Ordinal);

        await using var db = await target.CreateDatabaseAsync(test);
        await db.ExecuteAsync(s.Setup);
        var before = await EcHarness.SnapshotAsync(db);
        var data = await EcHarness.DataAsync(db, s.DataTables);
        var plan = await EcHarness.PlanAsync(db, s.Id, s.Changes);
        Assert.NotEmpty(plan.Expand.Concat(plan.Contract));

        // (3) + (4): abort after each prefix of expand, abort steps twice
        for (var k = 0; k <= plan.Expand.Count + 1; k++)
        {
            await EcHarness.RunAsync(db, plan.Expand.Take(k));
            if (k > plan.Expand.Count)
            {
                await EcHarness.BackfillAsync(db, plan);
            }

            await EcHarness.RunAsync(db, plan.Abort, times: 2);
            Assert.True(before == await EcHarness.SnapshotAsync(db), $"abort after {k} of {plan.Expand.Count} expand steps: catalog differs\n{Diff(before, await EcHarness.SnapshotAsync(db))}");
            Assert.Equal(data, await EcHarness.DataAsync(db, s.DataTables));
        }

        // (1) + (4): expand (each step twice), backfill, both releases
        await EcHarness.RunAsync(db, plan.Expand, times: 2);
        await EcHarness.BackfillAsync(db, plan);
        foreach (var probe in s.Workload)
        {
            if (probe.Expect is null)
            {
                try
                {
                    await db.ExecuteAsync(probe.Sql);
                }
                catch (Exception ex)
                {
                    Assert.Fail($"while expanded, '{probe.Sql}' failed: {ex.Message}");
                }
            }
            else
            {
                var value = await db.ScalarAsync(probe.Sql);
                Assert.True(probe.Expect == Convert.ToString(value, CultureInfo.InvariantCulture), $"while expanded, '{probe.Sql}' returned '{value}', expected '{probe.Expect}'");
            }
        }

        // (2) + (4): contract, each step twice
        await EcHarness.RunAsync(db, plan.Contract, times: 2);
        var after = await EcHarness.SnapshotAsync(db);
        Assert.True(expected == after, $"after contract the catalog differs from the plain SQL's\n{Diff(expected, after)}");
    }

    public static string Diff(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        return "missing:\n  " + string.Join("\n  ", e.Except(a)) + "\nunexpected:\n  " + string.Join("\n  ", a.Except(e));
    }
}
