using System.Diagnostics;

namespace Stepwise.Engines;

/// <summary>A lock seen by <see cref="LockPoller"/>: the key the engine gave (a relation oid, a table name) and the
/// mode, with the times of the first and the last poll that saw it (from the poller's start).</summary>
/// <param name="Key">The engine's key for the locked object.</param>
/// <param name="Mode">The mode as the server names it.</param>
/// <param name="FirstSeen">When a poll first saw it.</param>
/// <param name="LastSeen">When a poll last saw it (or when the statement ended, for a lock still held then).</param>
public sealed record LockSighting(string Key, string Mode, TimeSpan FirstSeen, TimeSpan LastSeen)
{
    /// <summary>How long it was held as far as the polls tell.</summary>
    public TimeSpan Held => LastSeen - FirstSeen;
}

/// <summary>Reads a session's locks again and again on a second connection (every <c>interval</c>, or as fast as the
/// round trip allows), remembering each (object, mode) with its first and last sighting. Engines' tracers use it
/// so that locks released before a statement ends are seen too.</summary>
public sealed class LockPoller : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<IReadOnlyList<(string Key, string Mode)>>> _poll;
    private readonly TimeSpan _interval;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<(string Key, string Mode), (TimeSpan First, TimeSpan Last, long Poll)> _seen = [];
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private long _polls;

    private LockPoller(Func<CancellationToken, Task<IReadOnlyList<(string Key, string Mode)>>> poll, TimeSpan interval)
    {
        _poll = poll;
        _interval = interval;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Completed polls so far.</summary>
    public long Polls => Interlocked.Read(ref _polls);

    /// <summary>The first failure of a poll (polling stops then), or null.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Time since the poller started.</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Starts polling at once.</summary>
    public static LockPoller Start(Func<CancellationToken, Task<IReadOnlyList<(string Key, string Mode)>>> poll, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(poll);
        return new LockPoller(poll, interval);
    }

    /// <summary>Waits until <paramref name="count"/> polls that started after this call have completed (so what
    /// the session holds now has been seen), or polling failed.</summary>
    public async Task WaitForFreshPollsAsync(int count, CancellationToken cancellationToken)
    {
        // the poll running now may have read pg_locks before the call: it does not count
        var target = Polls + count + 1;
        while (Polls < target && Failure is null && !_loop.IsCompleted)
        {
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Forgets what was seen so far (a failed attempt before the real run).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _seen.Clear();
        }
    }

    /// <summary>Stops polling and returns the sightings, ordered by first sight. A lock that poll number
    /// <paramref name="stillHeldAtPoll"/> (or a later one) saw is taken as held until <paramref name="heldUntil"/>
    /// (the commit that released it).</summary>
    public async Task<IReadOnlyList<LockSighting>> StopAsync(long stillHeldAtPoll = long.MaxValue, TimeSpan heldUntil = default)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        lock (_gate)
        {
            return [.. _seen
                .Select(e => new LockSighting(e.Key.Key, e.Key.Mode, e.Value.First, e.Value.Poll >= stillHeldAtPoll && heldUntil > e.Value.Last ? heldUntil : e.Value.Last))
                .OrderBy(s => s.FirstSeen)
                .ThenBy(s => s.Key, StringComparer.Ordinal)];
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            var started = _clock.Elapsed;
            IReadOnlyList<(string Key, string Mode)> locks;
            try
            {
                locks = await _poll(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                Failure = ex;
                return;
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                return;
            }

            var poll = Polls + 1;
            lock (_gate)
            {
                foreach (var key in locks)
                {
                    _seen[key] = _seen.TryGetValue(key, out var had) ? (had.First, started, poll) : (started, started, poll);
                }
            }

            Interlocked.Increment(ref _polls);
            // timers are coarse (a millisecond or more): short intervals poll back to back
            var wait = _interval - (_clock.Elapsed - started);
            if (wait < TimeSpan.FromMilliseconds(2))
            {
                await Task.Yield();
            }
            else
            {
                try
                {
                    await Task.Delay(wait, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
