using System.Diagnostics;
using System.Globalization;
using ZeroDowntime;

// bench/zero-downtime.sh's driver. Two commands:
//   run       --engine postgres|mariadb --cs ADO --url URL --stepwise BIN --case rename|type --mode stepwise|naive
//             --rows N [--writers 4] [--readers 2] [--overlap 10] [--tail 5] --work DIR
//   overhead  --engine … --cs … --url … --stepwise BIN --rows N [--clients 4] [--seconds 10] --work DIR
// `run`: old-release writers and readers start; the migration is applied (stepwise: `up` = expand + backfill;
// naive: the plain ALTER on a connection, no lock timeout); new-release writers and readers start; after --overlap
// seconds the old release stops (retired) and stepwise runs `complete`; the new release runs --tail seconds more.
// Then every row a writer wrote must hold the last value it wrote (read through the new shape).
var opts = Options.Parse(args);
var db = new Db(opts.Get("engine"), opts.Get("cs"));
var work = opts.Get("work");
Directory.CreateDirectory(work);
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
return args[0] switch
{
    "run" => await RunAsync(),
    "overhead" => await OverheadAsync(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: ZeroDowntime run|overhead --engine postgres|mariadb --cs CONNECTION --url URL --stepwise BIN --rows N --work DIR …");
    return 2;
}

async Task<int> RunAsync()
{
    var @case = opts.Get("case");
    var mode = opts.Get("mode");
    var rows = opts.Long("rows", 5_000_000);
    var writers = (int)opts.Long("writers", 4);
    var readers = (int)opts.Long("readers", 2);
    var rate = opts.Has("rate") ? double.Parse(opts.Get("rate"), CultureInfo.InvariantCulture) : 0; // statements/s per client
    var overlap = TimeSpan.FromSeconds(opts.Long("overlap", 10));
    var tail = TimeSpan.FromSeconds(opts.Long("tail", 5));
    var label = $"{opts.Get("engine")} {@case} {mode}";

    Console.Error.WriteLine($"== {label}: {rows:N0} rows, {(rate > 0 ? $"{rate:F0} statements/s per client" : "clients unthrottled")}");
    await db.SetupAsync(rows);
    var dir = Path.Combine(work, $"{@case}-{mode}");
    if (Directory.Exists(dir))
    {
        Directory.Delete(dir, true);
    }

    Directory.CreateDirectory(dir);
    var plain = db.PlainSql(@case);
    await File.WriteAllTextAsync(Path.Combine(dir, "0001_change.sql"), mode == "stepwise" ? $"-- stepwise:expand-contract\n{plain}\n" : plain + "\n");

    var complete = false;
    var slots = writers * 2;
    Stats oldStats = new(), newStats = new(), oldRead = new(), newRead = new();
    var oldWriters = Enumerable.Range(0, writers).Select(i => new Writer(db, @case, false, i, slots, rows, oldStats, () => complete, rate)).ToList();
    var newWriters = Enumerable.Range(writers, writers).Select(i => new Writer(db, @case, true, i, slots, rows, newStats, () => complete, rate)).ToList();
    using var stopOld = new CancellationTokenSource();
    using var stopNew = new CancellationTokenSource();
    using var stopMonitor = new CancellationTokenSource();
    var monitorLog = Path.Combine(work, $"{opts.Get("engine")}-{@case}-{mode}-stalls.log");
    var monitor = new ZeroDowntime.Monitor(db, monitorLog);
    var monitoring = monitor.RunAsync(stopMonitor.Token);
    var oldTasks = oldWriters.Select(w => w.RunAsync(stopOld.Token))
        .Concat(Enumerable.Range(0, readers).Select(_ => new Reader(db, @case, false, rows, oldRead, rate).RunAsync(stopOld.Token))).ToList();
    await Task.Delay(TimeSpan.FromSeconds(2));

    var total = Stopwatch.StartNew();
    var migrate = Stopwatch.StartNew();
    var ok = true;
    Stats.Phase = mode == "stepwise" ? "up (expand + backfill)" : mode == "naive" ? "plain migration" : "control backfill";
    if (mode == "stepwise")
    {
        ok &= await Stepwise("up", dir);
    }
    else if (mode.StartsWith("control", StringComparison.Ordinal))
    {
        // not a migration: a plain batched UPDATE of every row (no trigger, no new column, no stepwise), batches
        // of ~100 ms like stepwise's backfill, each followed by a pause of --pace × its own duration. It tells the
        // machine's and the server's share of the writers' latency from the migration tool's.
        await ControlBackfillAsync(rows, opts.Has("pace") ? double.Parse(opts.Get("pace"), CultureInfo.InvariantCulture) : 0);
    }
    else
    {
        await db.ExecAsync(plain);
    }

    var upSeconds = migrate.Elapsed.TotalSeconds;
    Console.Error.WriteLine($"   migration applied ({mode}) in {upSeconds:F1} s; new release starts");
    Stats.Phase = "both releases";
    var newTasks = newWriters.Select(w => w.RunAsync(stopNew.Token))
        .Concat(Enumerable.Range(0, readers).Select(_ => new Reader(db, @case, true, rows, newRead, rate).RunAsync(stopNew.Token))).ToList();
    await Task.Delay(overlap);
    await stopOld.CancelAsync();
    await Task.WhenAll(oldTasks);
    Console.Error.WriteLine("   old release stopped");

    var completeSeconds = 0.0;
    if (mode == "stepwise")
    {
        var sw = Stopwatch.StartNew();
        Stats.Phase = "complete";
        ok &= await Stepwise("complete", dir, "--force");
        completeSeconds = sw.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"   complete in {completeSeconds:F1} s");
    }

    complete = mode is "stepwise" or "naive"; // a control run leaves the column as it was
    Stats.Phase = "new release only";
    await Task.Delay(tail);
    await stopNew.CancelAsync();
    await Task.WhenAll(newTasks);
    var duration = total.Elapsed.TotalSeconds;
    await stopMonitor.CancelAsync();
    await monitoring;

    // every row holds the last value its writer wrote, read through the new shape
    var column = @case == "rename" ? "display_name" : "qty";
    long wrong = 0, checkedRows = 0;
    await using (var c = await db.OpenAsync())
    {
        foreach (var w in oldWriters.Concat(newWriters))
        {
            foreach (var (id, value) in w.Expected)
            {
                await using var cmd = c.CreateCommand();
                cmd.CommandText = $"SELECT {column} FROM accounts WHERE id = @id";
                Db.Param(cmd, "@id", id);
                var actual = Convert.ToString(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
                checkedRows++;
                if (actual != value)
                {
                    if (wrong++ < 3)
                    {
                        Console.Error.WriteLine($"   wrong row {id}: expected {value}, found {actual ?? "(none)"}");
                    }
                }
            }
        }
    }

    var o = oldStats.Summary();
    var n = newStats.Summary();
    Console.WriteLine($"{label}: migration {upSeconds:F1} s{(mode == "stepwise" ? $" + complete {completeSeconds:F1} s" : string.Empty)}, run {duration:F1} s");
    Console.WriteLine($"  old writers: {o.Count:N0} statements, p50 {o.P50:F1} ms, p99 {o.P99:F1} ms, max {o.Max:F0} ms, failed {oldStats.Failed:N0}{Err(oldStats)}");
    Console.WriteLine($"  new writers: {n.Count:N0} statements, p50 {n.P50:F1} ms, p99 {n.P99:F1} ms, max {n.Max:F0} ms, failed {newStats.Failed:N0}{Err(newStats)}");
    Console.WriteLine($"  readers: old failed {oldRead.Failed:N0} of {oldRead.Summary().Count:N0} (max {oldRead.Summary().Max:F0} ms), new failed {newRead.Failed:N0} of {newRead.Summary().Count:N0} (max {newRead.Summary().Max:F0} ms)");
    Console.WriteLine($"  rows checked {checkedRows:N0}, wrong {wrong:N0}");
    var writersMax = Math.Max(o.Max, n.Max);
    var slowest = oldStats.Slowest.Ms >= newStats.Slowest.Ms ? oldStats.Slowest : newStats.Slowest;
    Console.WriteLine($"  slowest write {slowest.Ms:F0} ms, started during: {slowest.Phase} (at {slowest.AtSeconds:F1} s in {monitorLog})");
    Console.WriteLine($"  {monitor.Summary()}");
    var failed = oldStats.Failed + newStats.Failed + oldRead.Failed + newRead.Failed;
    Console.WriteLine(FormattableString.Invariant(
        $"RESULT engine={opts.Get("engine")} case={@case} mode={mode} rows={rows} writers_p99_ms={Math.Max(o.P99, n.P99):F1} writers_max_ms={writersMax:F0} failed_old={oldStats.Failed + oldRead.Failed} failed_new={newStats.Failed + newRead.Failed} wrong_rows={wrong} migrate_s={upSeconds:F1} complete_s={completeSeconds:F1} duration_s={duration:F1} tool_ok={ok}"));
    return !ok ? 2 : mode == "stepwise" && (writersMax >= 200 || failed > 0 || wrong > 0) ? 1 : 0;
}

async Task ControlBackfillAsync(long rows, double pace)
{
    await using var c = await db.OpenAsync();
    var batch = 1000L;
    for (long from = 0; from < rows;)
    {
        var sw = Stopwatch.StartNew();
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = $"UPDATE accounts SET qty = qty WHERE id > {from} AND id <= {from + batch}";
            await cmd.ExecuteNonQueryAsync();
        }

        from += batch;
        var ms = sw.Elapsed.TotalMilliseconds;
        batch = Math.Clamp((long)(batch * Math.Clamp(100 / Math.Max(ms, 1), 0.5, 1.25)), 10, 100_000);
        if (pace > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(ms * pace));
        }
    }
}

async Task<int> OverheadAsync()
{
    // single-row UPDATE throughput through the old column, without and then with the expand-phase triggers
    var rows = opts.Long("rows", 1_000_000);
    var clients = (int)opts.Long("clients", 4);
    var seconds = TimeSpan.FromSeconds(opts.Long("seconds", 10));
    await db.SetupAsync(rows);
    var without = await Throughput(rows, clients, seconds);
    var dir = Path.Combine(work, "overhead");
    if (Directory.Exists(dir))
    {
        Directory.Delete(dir, true);
    }

    Directory.CreateDirectory(dir);
    await File.WriteAllTextAsync(Path.Combine(dir, "0001_rename.sql"), "-- stepwise:expand-contract\nALTER TABLE accounts RENAME COLUMN name TO display_name;\n");
    if (!await Stepwise("up", dir))
    {
        return 2;
    }

    var with = await Throughput(rows, clients, seconds);
    var ratio = with / without;
    Console.WriteLine($"{opts.Get("engine")} single-row UPDATE, {clients} clients, {seconds.TotalSeconds:F0} s each: without triggers {without:F0}/s, with the expand-phase triggers {with:F0}/s ({ratio:P0})");
    Console.WriteLine(FormattableString.Invariant($"RESULT engine={opts.Get("engine")} overhead without_tps={without:F0} with_tps={with:F0} ratio={ratio:F2} goal>=0.70 {(ratio >= 0.70 ? "PASS" : "FAIL")}"));
    return ratio >= 0.70 ? 0 : 1;
}

async Task<double> Throughput(long rows, int clients, TimeSpan duration)
{
    long done = 0;
    using var stop = new CancellationTokenSource(duration);
    var tasks = Enumerable.Range(0, clients).Select(async i =>
    {
        var random = new Random(i);
        await using var c = await db.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "UPDATE accounts SET name = @v WHERE id = @id";
        var id = Db.Param(cmd, "@id", 1L);
        var v = Db.Param(cmd, "@v", "x");
        while (!stop.IsCancellationRequested)
        {
            id.Value = random.NextInt64(1, rows + 1);
            v.Value = "v" + random.Next();
            await cmd.ExecuteNonQueryAsync(CancellationToken.None);
            Interlocked.Increment(ref done);
        }
    }).ToList();
    var sw = Stopwatch.StartNew();
    await Task.WhenAll(tasks);
    return done / sw.Elapsed.TotalSeconds;
}

async Task<bool> Stepwise(string command, string dir, params string[] extra)
{
    var psi = new ProcessStartInfo(opts.Get("stepwise")) { RedirectStandardOutput = true, RedirectStandardError = true };
    var limits = (opts.Has("lock-timeout") ? new[] { "--lock-timeout", opts.Get("lock-timeout") } : [])
        .Concat(command == "up" && opts.Has("nice-ratio") ? new[] { "--nice-ratio", opts.Get("nice-ratio") } : [])
        .Concat(command == "up" && opts.Has("batch-time") ? new[] { "--batch-time", opts.Get("batch-time") } : []);
    foreach (var a in new[] { command, "--dir", dir, "--database", opts.Get("url") }.Concat(limits).Concat(extra))
    {
        psi.ArgumentList.Add(a);
    }

    using var p = Process.Start(psi)!;
    var stdout = p.StandardOutput.ReadToEndAsync();
    var stderr = p.StandardError.ReadToEndAsync();
    await p.WaitForExitAsync();
    var text = (await stdout) + (await stderr);
    File.AppendAllText(Path.Combine(work, "stepwise.log"), $"$ stepwise {command} --dir {dir}\n{text}\nexit {p.ExitCode}\n");
    if (p.ExitCode != 0)
    {
        Console.Error.WriteLine($"   stepwise {command} exited {p.ExitCode}:\n{text}");
    }

    return p.ExitCode == 0;
}

static string Err(Stats s) => s.FirstError is null ? string.Empty : $" (first: {s.FirstError.Split('\n')[0]})";

internal sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(string[] args)
    {
        var d = new Dictionary<string, string>();
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            d[args[i].TrimStart('-')] = args[i + 1];
        }

        return new Options(d);
    }

    public string Get(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");

    public bool Has(string name) => values.ContainsKey(name);

    public long Long(string name, long fallback) => values.TryGetValue(name, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
