using Stepwise.Engines;

namespace Stepwise.MySql.Trace;

/// <summary>The metadata-lock compatibility matrix (sql/mdl.cc), reduced to application statements: SELECT asks
/// for SHARED_READ, INSERT/UPDATE/DELETE for SHARED_WRITE.</summary>
public static class MySqlLockModes
{
    /// <summary>Table metadata-lock types, weakest first, as performance_schema.metadata_locks names them.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        "INTENTION_EXCLUSIVE", "SHARED", "SHARED_HIGH_PRIO", "SHARED_READ", "SHARED_WRITE", "SHARED_WRITE_LOW_PRIO",
        "SHARED_UPGRADABLE", "SHARED_READ_ONLY", "SHARED_NO_WRITE", "SHARED_NO_READ_WRITE", "EXCLUSIVE",
    ];

    /// <summary>The application statements a metadata lock of <paramref name="type"/> makes wait.</summary>
    public static BlockedStatements Blocks(string type) => type switch
    {
        // incompatible with SHARED_READ and SHARED_WRITE
        "EXCLUSIVE" or "SHARED_NO_READ_WRITE" => BlockedStatements.All,

        // incompatible with SHARED_WRITE only (COPY ALTER holds SHARED_NO_WRITE while it copies)
        "SHARED_NO_WRITE" or "SHARED_READ_ONLY" => BlockedStatements.Writes,

        // SHARED_UPGRADABLE (INPLACE ALTER while it works), SHARED_READ/WRITE, intention locks
        _ => BlockedStatements.None,
    };
}
