using Stepwise.Engines;

namespace Stepwise.Migrations.Running.Execution;

/// <summary>
/// The runner's one retry policy: a statement (or a transactional unit) that failed on a lock timeout is retried
/// up to <see cref="RunnerOptions.MaxRetries"/> times, after an exponential backoff with jitter, so a blocked DDL
/// never queues application traffic behind it for longer than the lock timeout and concurrent runners don't
/// retry in lockstep. Nothing else is retried. Public for the EF Core integration, which applies EF migrations
/// with the same policy.
/// </summary>
public sealed class RetryPolicy
{
    private readonly Func<double> _random;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;

    /// <summary>The runner's policy, from its options.</summary>
    public RetryPolicy(RunnerOptions options, Func<double>? random = null)
        : this((options ?? throw new ArgumentNullException(nameof(options))).MaxRetries, options.RetryBaseDelay, options.RetryMaxDelay, random)
    {
    }

    /// <summary>A policy with these limits; <paramref name="random"/> (in [0, 1)) is for tests.</summary>
    public RetryPolicy(int maxRetries, TimeSpan baseDelay, TimeSpan maxDelay, Func<double>? random = null)
    {
        MaxRetries = maxRetries;
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>How many times a failed statement or unit is retried after its first attempt.</summary>
    public int MaxRetries { get; }

    /// <summary>True when <paramref name="ex"/> is a lock timeout and fewer than <see cref="MaxRetries"/> retries were made.</summary>
    /// <param name="ex">The failure of the last attempt.</param>
    /// <param name="attempt">Retries already made (0 after the first attempt).</param>
    public bool ShouldRetry(EngineException ex, int attempt) => ex?.Kind == ErrorKind.LockTimeout && attempt < MaxRetries;

    /// <summary>The pause before retry number <paramref name="attempt"/> + 1: base × 2^attempt, capped, with full jitter in [capped/2, capped].</summary>
    public TimeSpan Backoff(int attempt)
    {
        var exp = _baseDelay.TotalMilliseconds * Math.Pow(2, attempt);
        var capped = Math.Min(exp, _maxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (_random() * capped / 2));
    }

    /// <summary>Runs <paramref name="action"/>; on a lock timeout waits and runs it again, telling <paramref name="retrying"/> each time.</summary>
    public async Task<int> RunAsync(Func<Task> action, Action<int, TimeSpan, EngineException> retrying, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(retrying);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await action().ConfigureAwait(false);
                return attempt;
            }
            catch (EngineException ex) when (ShouldRetry(ex, attempt))
            {
                var delay = Backoff(attempt);
                retrying(attempt + 1, delay, ex);
                await Task.Delay(delay, ct).ConfigureAwait(false);
            }
        }
    }
}
