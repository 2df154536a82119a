using System.Diagnostics;

namespace Stepwise.Migrations.Backfill;

/// <summary>What both batch loops (key ranges and block ranges) do between two batches: aim the next batch at
/// the target duration, then pause for the fixed sleep plus the nice ratio's share of the batch's duration.</summary>
internal static class BackfillPacing
{
    /// <summary>The next batch's size: shrink fast (halve at most), grow slowly (1.25x at most), so one lucky fast
    /// batch doesn't double the next past the target and hold writers' row locks longer. A fixed size stays.</summary>
    public static int NextBatch(BackfillSpec spec, int batch, TimeSpan took)
    {
        if (spec.BatchTime is not { } target || took <= TimeSpan.Zero)
        {
            return batch;
        }

        var factor = Math.Clamp(target.TotalMilliseconds / took.TotalMilliseconds, 0.5, 1.25);
        return Math.Clamp((int)(batch * factor), spec.MinBatchSize, spec.MaxBatchSize);
    }

    /// <summary>The longest pause the nice ratio adds after one batch: a batch that took long because it waited
    /// (lock retries, a stalled server) must not park the backfill for hours.</summary>
    public static readonly TimeSpan MaxNicePause = TimeSpan.FromMinutes(1);

    /// <summary>The pause after a batch that took <paramref name="took"/>: <see cref="BackfillSpec.Sleep"/> plus
    /// <see cref="BackfillSpec.NiceRatio"/> × <paramref name="took"/> (at most <see cref="MaxNicePause"/>).</summary>
    public static TimeSpan PauseAfter(BackfillSpec spec, TimeSpan took) =>
        spec.Sleep + (spec.NiceRatio > 0 && took > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(MaxNicePause.Ticks, (long)(took.Ticks * Math.Min(spec.NiceRatio, 100)))) : TimeSpan.Zero);

    /// <summary>Adapts the batch size and pauses; a stop request ends the pause early (the loop checks it next).</summary>
    public static async Task<int> AfterBatchAsync(BackfillSpec spec, int batch, Stopwatch batchClock, CancellationToken stop)
    {
        var took = batchClock.Elapsed;
        var next = NextBatch(spec, batch, took);
        var pause = PauseAfter(spec, took);
        if (pause > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(pause, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // checked at the top of the loop
            }
        }

        return next;
    }
}
