using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ZeroDowntime;

/// <summary>
/// What stalls the workload, sampled every 100 ms while a run goes on, written to a log beside the run's files:
/// every server session whose statement has been running for more than 150 ms, with what it waits on
/// (PostgreSQL: wait_event_type/wait_event and the pids blocking it; MariaDB: the processlist state), checkpoints
/// and autovacuum as they start, and the driver's own scheduling lateness (a late tick means the stall is in the
/// client, not the server). <see cref="Summary"/> counts the waits seen, for the run's report.
/// </summary>
internal sealed class Monitor(Db db, string logPath)
{
    private readonly Dictionary<string, (int Count, double MaxMs)> _waits = [];
    private readonly StringBuilder _log = new();
    private double _maxLateMs;
    private double _maxSampleMs;
    private double _maxDescheduledMs;

    public static readonly Stopwatch Clock = Stopwatch.StartNew();

    public async Task RunAsync(CancellationToken stop)
    {
        // a dedicated thread (not the thread pool): when its 20 ms sleep overshoots, the driver's process itself
        // was not scheduled; when only the pool's timers run late, the driver's thread pool starved
        var probe = new Thread(() =>
        {
            var sw = Stopwatch.StartNew();
            while (!stop.IsCancellationRequested)
            {
                var before = sw.Elapsed.TotalMilliseconds;
                Thread.Sleep(20);
                var over = sw.Elapsed.TotalMilliseconds - before - 20;
                if (over > 50)
                {
                    lock (_log)
                    {
                        _maxDescheduledMs = Math.Max(_maxDescheduledMs, over);
                        Line($"driver process not scheduled for {over:F0} ms");
                    }
                }
            }
        }) { IsBackground = true, Name = "scheduling probe" };
        probe.Start();
        await using var c = await db.OpenAsync();
        long checkpoints = -1;
        var vacuuming = false;
        var next = Clock.Elapsed;
        while (!stop.IsCancellationRequested)
        {
            var late = (Clock.Elapsed - next).TotalMilliseconds;
            if (late > 50)
            {
                _maxLateMs = Math.Max(_maxLateMs, late);
                Line($"driver tick {late:F0} ms late");
            }

            var sampling = Stopwatch.StartNew();
            try
            {
                if (db.IsPostgres)
                {
                    (checkpoints, vacuuming) = await SamplePostgresAsync(c, checkpoints, vacuuming);
                }
                else
                {
                    await SampleMariaDbAsync(c);
                }
            }
            catch (DbException ex)
            {
                Line("monitor query failed: " + ex.Message.Split('\n')[0]);
            }

            if (sampling.ElapsedMilliseconds > 150)
            {
                _maxSampleMs = Math.Max(_maxSampleMs, sampling.Elapsed.TotalMilliseconds);
                Line($"the monitor's own sample took {sampling.ElapsedMilliseconds} ms (the server or the machine stalled)");
            }

            next = Clock.Elapsed + TimeSpan.FromMilliseconds(100);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        probe.Join();
        string text;
        lock (_log)
        {
            text = _log.ToString();
        }

        await File.WriteAllTextAsync(logPath, text, CancellationToken.None);
    }

    private async Task<(long Checkpoints, bool Vacuuming)> SamplePostgresAsync(DbConnection c, long checkpoints, bool vacuuming)
    {
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = """
                SELECT coalesce(wait_event_type, 'CPU'), coalesce(wait_event, '-'),
                       extract(epoch FROM clock_timestamp() - query_start) * 1000, pg_blocking_pids(pid)::text,
                       backend_type, left(regexp_replace(query, '\s+', ' ', 'g'), 90)
                FROM pg_stat_activity
                WHERE state = 'active' AND pid <> pg_backend_pid()
                  AND clock_timestamp() - query_start > interval '150 ms'
                """;
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                var ms = r.GetDouble(2);
                var what = $"{r.GetString(0)}/{r.GetString(1)}";
                Count(what, ms);
                Line($"{ms,7:F0} ms {what,-28} blocked by {r.GetString(3),-10} {r.GetString(4)}: {r.GetString(5)}");
            }
        }

        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT checkpoints_timed + checkpoints_req, EXISTS (SELECT 1 FROM pg_stat_progress_vacuum) FROM pg_stat_bgwriter";
            await using var r = await cmd.ExecuteReaderAsync();
            await r.ReadAsync();
            var now = r.GetInt64(0);
            var vac = r.GetBoolean(1);
            if (checkpoints >= 0 && now != checkpoints)
            {
                Line("checkpoint");
                Count("checkpoints", 0);
            }

            if (vac != vacuuming)
            {
                Line(vac ? "(auto)vacuum started" : "(auto)vacuum ended");
            }

            return (now, vac);
        }
    }

    private async Task SampleMariaDbAsync(DbConnection c)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT coalesce(STATE, '-'), TIME_MS, left(regexp_replace(INFO, '\\s+', ' '), 90)
            FROM information_schema.PROCESSLIST
            WHERE COMMAND = 'Query' AND ID <> CONNECTION_ID() AND TIME_MS > 150
            """;
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            var ms = Convert.ToDouble(r.GetValue(1), CultureInfo.InvariantCulture);
            var what = r.GetString(0);
            Count(what, ms);
            Line($"{ms,7:F0} ms {what,-28} {(r.IsDBNull(2) ? string.Empty : r.GetString(2))}");
        }
    }

    private void Count(string what, double ms)
    {
        var (n, max) = _waits.GetValueOrDefault(what);
        _waits[what] = (n + 1, Math.Max(max, ms));
    }

    private void Line(string text)
    {
        lock (_log)
        {
            _log.Append(CultureInfo.InvariantCulture, $"{Clock.Elapsed.TotalSeconds,8:F1} s [{Stats.Phase}] {text}\n");
        }
    }

    /// <summary>One line: the waits seen, most frequent first, and the driver's worst lateness.</summary>
    public string Summary()
    {
        var waits = _waits.OrderByDescending(w => w.Value.Count)
            .Select(w => w.Key == "checkpoints" ? $"{w.Value.Count} checkpoint(s)" : $"{w.Key} in {w.Value.Count} sample(s) (≤{w.Value.MaxMs:F0} ms)");
        var list = string.Join(", ", waits);
        return $"stalls seen (statements running > 150 ms): {(list.Length == 0 ? "none" : list)}; driver's worst timer lateness {_maxLateMs:F0} ms, longest unscheduled {_maxDescheduledMs:F0} ms; monitor's slowest sample {_maxSampleMs:F0} ms";
    }
}
