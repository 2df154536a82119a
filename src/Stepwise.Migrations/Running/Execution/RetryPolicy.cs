using Stepwise.Engines;

namespace Stepwise.Migrations.Running.Execution;

/// <summary>
/// The runner's one retry policy: a statement (or a transactional unit) that failed on a lock timeout is retried
/// up to <see cref="RunnerOptions.MaxRetries"/> times, after an exponential backoff with jitter, so a blocked DDL
/// never queues application traffic behind it for longer than the lock timeout and concurrent runners don't
/// retry in lockstep. Nothing else is retried.
/// </summary>
internal sealed class RetryPolicy(RunnerOptions options, Func<double>? random = null)
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    public int MaxRetries => options.MaxRetries;

    public bool ShouldRetry(EngineException ex, int attempt) => ex.Kind == ErrorKind.LockTimeout && attempt < options.MaxRetries;

    /// <summary>The pause before retry number <paramref name="attempt"/> + 1: base × 2^attempt, capped, with full jitter in [capped/2, capped].</summary>
    public TimeSpan Backoff(int attempt)
    {
        var exp = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt);
        var capped = Math.Min(exp, options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (_random() * capped / 2));
    }

    /// <summary>Runs <paramref name="action"/>; on a lock timeout waits and runs it again, telling <paramref name="retrying"/> each time.</summary>
    public async Task<int> RunAsync(Func<Task> action, Action<int, TimeSpan, EngineException> retrying, CancellationToken ct)
    {
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
