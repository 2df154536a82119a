using Microsoft.Data.Sqlite;
using Stepwise.Engines;
using Stepwise.Sql;

namespace Stepwise.Migrations.Tests.Transcripts;

/// <summary>
/// The database a scenario runs against: what it holds (an in-memory journal, migration lock holder, other tools'
/// history, invalid indexes, primary keys; backfilled tables live in an in-memory SQLite database) and what it is
/// scripted to do (faults on statements). It outlives the engines: every runner command makes a new
/// <see cref="RecordingEngine"/> on it, so failure → repair → up sees the journal the failure left.
/// </summary>
internal sealed class RecordingDatabase : IDisposable
{
    private readonly SqliteConnection _keeper;
    private readonly List<Fault> _faults = [];

    public RecordingDatabase(Transcript transcript, SqlDialect dialect)
    {
        Transcript = transcript;
        Dialect = dialect;
        SqliteConnectionString = $"Data Source=stepwise-transcript-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";

        // a shared-cache in-memory database lives while one connection is open: this one, for the whole scenario
        _keeper = new SqliteConnection(SqliteConnectionString);
        _keeper.Open();
    }

    public Transcript Transcript { get; }

    public SqlDialect Dialect { get; }

    public ServerInfo Server => Dialect == SqlDialect.PostgreSql ? new ServerInfo("15.4", 15) : new ServerInfo(Dialect == SqlDialect.Sqlite ? "3.46.1" : "10.11.6-MariaDB", 0);

    public string SqliteConnectionString { get; }

    /// <summary>The journal's rows by version (committed state).</summary>
    public SortedDictionary<string, JournalEntry> Journal { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether the journal table exists (false until the first <c>journal ensure</c>, unless seeded).</summary>
    public bool JournalExists { get; set; }

    /// <summary>Another session holds the migration lock.</summary>
    public LockHolder? LockHeldBy { get; set; }

    /// <summary>Other tools' history tables by table name: the versions each says it applied.</summary>
    public Dictionary<string, IReadOnlyList<string>> ForeignHistory { get; } = new(StringComparer.Ordinal);

    /// <summary>Indexes left INVALID by an interrupted concurrent build (unqualified names).</summary>
    public HashSet<string> InvalidIndexes { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether engines offer <see cref="IInvalidIndexCleanup"/> (PostgreSQL does).</summary>
    public bool HasInvalidIndexCleanup => Dialect == SqlDialect.PostgreSql;

    /// <summary>Primary keys the catalog reports, by table.</summary>
    public Dictionary<string, IReadOnlyList<KeyColumn>> PrimaryKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>Row estimates the catalog reports, by table.</summary>
    public Dictionary<string, long> RowEstimates { get; } = new(StringComparer.Ordinal);

    /// <summary>The plan the engine's expand/contract ability returns (null, with no refusal: the engine has no such ability).</summary>
    public EcPlan? ExpandContractPlan { get; set; }

    /// <summary>The engine refuses to plan, with this reason.</summary>
    public string? ExpandContractRefusal { get; set; }

    /// <summary>How often the engine was asked for a plan.</summary>
    public int PlanCalls { get; set; }

    /// <summary>What the old-name usage ability reports (null, with no unavailability: the engine has no such ability).</summary>
    public IReadOnlyList<EcOldNameUse>? OldNameUses { get; set; }

    /// <summary>The old-name usage ability says the database cannot tell, with this reason.</summary>
    public string? OldNameUsageUnavailable { get; set; }

    /// <summary>Runs SQL on the SQLite side without recording it (scenario setup).</summary>
    public void Seed(string sql)
    {
        using var cmd = _keeper.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>A value read from the SQLite side (assertions).</summary>
    public long Scalar(string sql)
    {
        using var cmd = _keeper.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The next statements containing <paramref name="match"/> fail, the first <paramref name="times"/> times.</summary>
    public Fault Fail(string match, ErrorKind kind, int times = int.MaxValue, string? sqlState = null, string? message = null)
    {
        var fault = new Fault(match, kind, times, sqlState ?? DefaultState(kind), message ?? DefaultMessage(kind));
        _faults.Add(fault);
        return fault;
    }

    /// <summary>The fault that fires for this statement now, if any (and counts it).</summary>
    public Fault? Fire(string statement)
    {
        var fault = _faults.FirstOrDefault(f => f.Remaining > 0 && statement.Contains(f.Match, StringComparison.Ordinal));
        if (fault is not null)
        {
            fault.Remaining--;
            if (fault.LeavesInvalidIndex is { } index)
            {
                InvalidIndexes.Add(index);
            }
        }

        return fault;
    }

    public void Dispose() => _keeper.Dispose();

    private static string DefaultState(ErrorKind kind) => kind switch
    {
        ErrorKind.LockTimeout => "55P03",
        ErrorKind.ConnectionLost => "57P01",
        ErrorKind.AlreadyExists => "42P07",
        ErrorKind.DoesNotExist => "42P01",
        ErrorKind.StatementTimeout => "57014",
        _ => "42601",
    };

    private static string DefaultMessage(ErrorKind kind) => kind switch
    {
        ErrorKind.LockTimeout => "canceling statement due to lock timeout",
        ErrorKind.ConnectionLost => "terminating connection due to administrator command",
        ErrorKind.AlreadyExists => "relation already exists",
        ErrorKind.DoesNotExist => "relation does not exist",
        ErrorKind.StatementTimeout => "canceling statement due to statement timeout",
        _ => "syntax error",
    };
}

/// <summary>A scripted failure: statements containing <see cref="Match"/> fail with <see cref="Kind"/>, <see cref="Remaining"/> more times.</summary>
internal sealed class Fault(string match, ErrorKind kind, int times, string sqlState, string message)
{
    public string Match { get; } = match;

    public ErrorKind Kind { get; } = kind;

    public string SqlState { get; } = sqlState;

    public string Message { get; } = message;

    public int Remaining { get; set; } = times;

    /// <summary>A failed CREATE INDEX CONCURRENTLY leaves this index INVALID.</summary>
    public string? LeavesInvalidIndex { get; set; }

    public EngineException Exception() => new(Kind, Message, SqlState);
}
