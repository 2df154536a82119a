using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Stepwise.EntityFrameworkCore;
using Stepwise.Examples.EfCore;

// EfStartup setup CONNECTION              apply every migration (so that nothing is pending afterwards)
// EfStartup ef|safe CONNECTION            one cold call in this process: prints "ms=<elapsed>"
// EfStartup warm CONNECTION [ITERATIONS]  both, alternating, in one warm process: prints each one's figures
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: EfStartup setup|ef|safe|warm CONNECTION [ITERATIONS]");
    return 2;
}

var connection = args[1];
switch (args[0])
{
    case "setup":
    {
        await using var db = TodoContext.For(connection);
        var result = await db.Database.MigrateSafelyAsync();
        Console.WriteLine(result);
        return result.Succeeded ? 0 : 1;
    }

    case "ef" or "safe":
    {
        var ms = await TimeAsync(args[0] == "safe", connection);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ms={ms:0.00}"));
        return 0;
    }

    case "warm":
    {
        var iterations = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
        var ef = new List<double>();
        var safe = new List<double>();
        for (var i = -5; i < iterations; i++)
        {
            // alternate which goes first, so neither always finds the other's warm connection pool
            var first = await TimeAsync(i % 2 == 0, connection);
            var second = await TimeAsync(i % 2 != 0, connection);
            if (i >= 0)
            {
                (i % 2 == 0 ? safe : ef).Add(first);
                (i % 2 == 0 ? ef : safe).Add(second);
            }
        }

        Console.WriteLine(Describe("ef", ef));
        Console.WriteLine(Describe("safe", safe));
        return 0;
    }

    default:
        Console.Error.WriteLine($"unknown mode {args[0]}");
        return 2;
}

static async Task<double> TimeAsync(bool safely, string connection)
{
    // a context per call, as each start-up makes one; creating it is not timed
    await using var db = TodoContext.For(connection);
    var clock = Stopwatch.StartNew();
    if (safely)
    {
        var result = await db.Database.MigrateSafelyAsync();
        if (!result.Succeeded || result.Applied.Count > 0)
        {
            throw new InvalidOperationException("expected nothing pending: " + result);
        }
    }
    else
    {
        await db.Database.MigrateAsync();
    }

    return clock.Elapsed.TotalMilliseconds;
}

static string Describe(string name, List<double> ms)
{
    ms.Sort();
    double At(double p) => ms[Math.Min(ms.Count - 1, (int)Math.Round(p * (ms.Count - 1)))];
    return string.Create(CultureInfo.InvariantCulture, $"{name} n={ms.Count} median={At(0.5):0.00} p90={At(0.9):0.00} min={ms[0]:0.00} max={ms[^1]:0.00}");
}
