using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;

namespace ZeroDowntime;

/// <summary>Latencies and failures of one release's clients.</summary>
internal sealed class Stats
{
    private readonly ConcurrentBag<double> _latencies = [];
    private readonly Lock _slowest = new();
    private long _failed;

    /// <summary>What the migration was doing when a statement started (set by the run's main flow).</summary>
    public static volatile string Phase = "before";

    /// <summary>The slowest statement's latency, the phase it started in and when (on <see cref="Monitor.Clock"/>).</summary>
    public (double Ms, string Phase, double AtSeconds) Slowest { get; private set; }

    public string? FirstError { get; private set; }

    public long Failed => Interlocked.Read(ref _failed);

    public void Ok(double ms)
    {
        _latencies.Add(ms);
        Track(ms);
    }

    private void Track(double ms)
    {
        lock (_slowest)
        {
            if (ms > Slowest.Ms)
            {
                Slowest = (ms, Phase, Monitor.Clock.Elapsed.TotalSeconds - (ms / 1000));
            }
        }
    }

    public void Fail(double ms, Exception ex)
    {
        _latencies.Add(ms);
        Track(ms);
        if (Interlocked.Increment(ref _failed) == 1)
        {
            FirstError = ex.Message;
        }
    }

    public (long Count, double P50, double P99, double Max) Summary()
    {
        var all = _latencies.ToArray();
        Array.Sort(all);
        if (all.Length == 0)
        {
            return (0, 0, 0, 0);
        }

        double At(double q) => all[Math.Min(all.Length - 1, (int)Math.Ceiling(q * all.Length) - 1)];
        return (all.Length, At(0.50), At(0.99), all[^1]);
    }
}

/// <summary>One writer of one release. It owns the ids with <c>id % Slots == Slot</c> (no other writer touches
/// them), so the last value it wrote successfully is what the row must hold at the end.</summary>
internal sealed class Writer(Db db, string @case, bool newRelease, int slot, int slots, long rows, Stats stats, Func<bool> afterComplete, double rate)
{
    public Dictionary<long, string> Expected { get; } = [];

    public async Task RunAsync(CancellationToken stop)
    {
        var random = new Random(slot * 7919);
        var nextInsert = rows + 1;
        while (nextInsert % slots != slot)
        {
            nextInsert++;
        }

        DbConnection? c = null;
        var seq = 0;
        var pacer = new Pacer(rate);
        while (!stop.IsCancellationRequested)
        {
            await pacer.WaitAsync();
            var insert = random.Next(5) == 0;
            long id;
            if (insert)
            {
                id = nextInsert;
                nextInsert += slots;
            }
            else
            {
                id = (random.NextInt64(rows / slots) * slots) + slot;
                if (id == 0)
                {
                    id = slots;
                }
            }

            seq++;
            var (column, value) = Value(seq);
            var sw = Stopwatch.StartNew();
            try
            {
                c ??= await db.OpenAsync();
                await using var cmd = c.CreateCommand();
                cmd.CommandTimeout = 300;
                cmd.CommandText = insert
                    ? (@case == "rename" ? $"INSERT INTO accounts (id, {column}, qty) VALUES (@id, @v, 1)" : "INSERT INTO accounts (id, name, qty) VALUES (@id, 'w', @v)")
                    : $"UPDATE accounts SET {column} = @v WHERE id = @id";
                Db.Param(cmd, "@id", id);
                Db.Param(cmd, "@v", value);
                await cmd.ExecuteNonQueryAsync(CancellationToken.None);
                stats.Ok(sw.Elapsed.TotalMilliseconds);
                Expected[id] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!;
            }
            catch (DbException ex)
            {
                stats.Fail(sw.Elapsed.TotalMilliseconds, ex);
                if (c is { State: not System.Data.ConnectionState.Open })
                {
                    await c.DisposeAsync();
                    c = null;
                }

                await Task.Delay(5, CancellationToken.None);
            }
        }

        if (c is not null)
        {
            await c.DisposeAsync();
        }
    }

    private (string Column, object Value) Value(int seq)
    {
        if (@case == "rename")
        {
            return (newRelease ? "display_name" : "name", $"{(newRelease ? "new" : "old")}-{slot}-{seq}");
        }

        // the new release writes values only bigint holds once the migration is complete
        long v = newRelease && afterComplete() ? 3_000_000_000L + seq : (slot * 1_000_000L) + seq;
        return ("qty", newRelease ? v : (object)(int)v);
    }
}

/// <summary>A reader of one release: single-row SELECTs of the release's column.</summary>
internal sealed class Reader(Db db, string @case, bool newRelease, long rows, Stats stats, double rate)
{
    public async Task RunAsync(CancellationToken stop)
    {
        var random = new Random(newRelease ? 17 : 11);
        var column = @case == "rename" ? (newRelease ? "display_name" : "name") : "qty";
        DbConnection? c = null;
        var pacer = new Pacer(rate);
        while (!stop.IsCancellationRequested)
        {
            await pacer.WaitAsync();
            var sw = Stopwatch.StartNew();
            try
            {
                c ??= await db.OpenAsync();
                await using var cmd = c.CreateCommand();
                cmd.CommandTimeout = 300;
                cmd.CommandText = $"SELECT {column} FROM accounts WHERE id = @id";
                Db.Param(cmd, "@id", random.NextInt64(1, rows + 1));
                await cmd.ExecuteScalarAsync(CancellationToken.None);
                stats.Ok(sw.Elapsed.TotalMilliseconds);
            }
            catch (DbException ex)
            {
                stats.Fail(sw.Elapsed.TotalMilliseconds, ex);
                if (c is { State: not System.Data.ConnectionState.Open })
                {
                    await c.DisposeAsync();
                    c = null;
                }

                await Task.Delay(5, CancellationToken.None);
            }
        }

        if (c is not null)
        {
            await c.DisposeAsync();
        }
    }
}

/// <summary>Spaces one client's statements at <c>rate</c> per second (0: as fast as it can). A client that fell
/// more than a second behind (a stalled statement) starts a new schedule instead of bursting to catch up.</summary>
internal sealed class Pacer(double rate)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private double _next;

    public async Task WaitAsync()
    {
        if (rate <= 0)
        {
            return;
        }

        var now = _clock.Elapsed.TotalSeconds;
        if (_next < now - 1)
        {
            _next = now;
        }

        if (_next > now)
        {
            await Task.Delay(TimeSpan.FromSeconds(_next - now));
        }

        _next += 1 / rate;
    }
}
