using System.Diagnostics;
using Stepwise.Engines;

namespace Stepwise.Sqlite;

/// <summary>The migration lock: a lock file beside the database, opened exclusively (flock) for the run.</summary>
internal sealed class SqliteLock(SqliteSession session) : IMigrationLock
{
    private FileStream? _lockFile;

    public async Task<bool> TryAcquireAsync(TimeSpan wait, IProgress<LockWait>? waiting, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var told = false;
        while (true)
        {
            try
            {
                // never deleted: unlinking on close lets a waiter lock the orphaned file while a third creates a new one
                _lockFile = Open();
                return true;
            }
            catch (IOException)
            {
                var elapsed = clock.Elapsed;
                if (!told && elapsed >= TimeSpan.FromSeconds(1))
                {
                    // said once, also when the wait ends right after the first second (a late wake-up on a busy machine)
                    told = true;
                    waiting?.Report(new LockWait(LockKind.MigrationLock, elapsed));
                }

                if (elapsed >= wait)
                {
                    return false;
                }

                // wake at the one-second mark (to say so) and at the end of the wait, not after them
                var pause = TimeSpan.FromMilliseconds(50 + Random.Shared.Next(100));
                var untilSaid = TimeSpan.FromSeconds(1) - elapsed;
                if (!told && untilSaid > TimeSpan.Zero && untilSaid < pause)
                {
                    pause = untilSaid;
                }

                await Task.Delay(Min(pause, wait - elapsed), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private FileStream Open() => new(session.LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);

    public Task ReleaseAsync(CancellationToken cancellationToken)
    {
        _lockFile?.Dispose();
        _lockFile = null;
        return Task.CompletedTask;
    }

    /// <summary>The lock file is held by another process when it cannot be opened exclusively (and we do not hold it).</summary>
    public Task<LockHolder?> HolderAsync(CancellationToken cancellationToken)
    {
        if (_lockFile is not null)
        {
            return Task.FromResult<LockHolder?>(null);
        }

        try
        {
            using var probe = Open();
            return Task.FromResult<LockHolder?>(null);
        }
        catch (IOException)
        {
            return Task.FromResult<LockHolder?>(new LockHolder(null, null, null, null, null) { LockFile = session.LockPath });
        }
    }
}
