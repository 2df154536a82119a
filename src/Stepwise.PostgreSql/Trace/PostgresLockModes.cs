using Stepwise.Engines;

namespace Stepwise.PostgreSql.Trace;

/// <summary>PostgreSQL's table-level lock conflict table, reduced to the application statements it matters for:
/// SELECT takes AccessShareLock, INSERT/UPDATE/DELETE take RowExclusiveLock
/// (https://www.postgresql.org/docs/current/explicit-locking.html, "Conflicting Lock Modes").</summary>
public static class PostgresLockModes
{
    /// <summary>Every relation lock mode, weakest first, as pg_locks names them.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        "AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock",
        "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock",
    ];

    /// <summary>The application statements a lock held in <paramref name="mode"/> makes wait.</summary>
    public static BlockedStatements Blocks(string mode) => mode switch
    {
        // conflicts with AccessShareLock (SELECT) and RowExclusiveLock (writes)
        "AccessExclusiveLock" => BlockedStatements.All,

        // conflict with RowExclusiveLock, not with AccessShareLock
        "ExclusiveLock" or "ShareRowExclusiveLock" or "ShareLock" => BlockedStatements.Writes,

        // AccessShare, RowShare, RowExclusive, ShareUpdateExclusive conflict with neither
        _ => BlockedStatements.None,
    };
}
