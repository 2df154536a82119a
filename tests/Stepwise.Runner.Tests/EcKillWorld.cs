using System.Data.Common;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>One engine's side of <see cref="EcKillScenario"/>: the migration, the table it seeds, the catalog text it
/// compares, and how a fresh database for one round is made.</summary>
internal interface IEcKillEngine
{
    /// <summary>Label in output lines (PostgreSQL, MariaDB, SQLite).</summary>
    string Name { get; }

    /// <summary>Rows seeded into `items (id, name, qty, note)`: row g holds ('n' || g, g % 1000, 'x' || g).</summary>
    int Rows { get; }

    /// <summary>False when a phase step of several DDL statements is not one transaction (MariaDB): a kill between two of
    /// them leaves a state the old or new release's writes may fail in until the rerun finishes that step. The writer's
    /// failures between the kill and the end of the rerun are then listed, not failed on; outside that window none is allowed.</summary>
    bool DdlIsTransactional { get; }

    /// <summary>True: calibration measures each command up to its final "✓ " line instead of the process's exit (when
    /// the phase is short, the .NET process exit is most of the rest and kills drawn over it land after the end).</summary>
    bool CalibrateToFinishLine { get; }

    /// <summary>SQL counting rows whose `title` and `name` differ (after `up`: must be 0).</summary>
    string UnsyncedRowsSql { get; }

    /// <summary>Lines the catalog must contain after `complete`.</summary>
    IReadOnlyList<string> CompletedCatalogLines { get; }

    /// <summary>A fresh database named after <paramref name="name"/>, seeded, with the migration file written.</summary>
    Task<IEcKillDb> NewAsync(string name);
}

/// <summary>One round's database and the `stepwise` runs against it.</summary>
internal interface IEcKillDb : IDisposable
{
    ChildProcessHandle Start(params string[] args);

    Task<ChildProcessResult> RunAsync(params string[] args);

    /// <summary>Fails when the run's output holds the database password (engines with one).</summary>
    void AssertNoPassword(ChildProcessResult result, string what);

    /// <summary>Everything abort must restore and contract must clean, as sorted text lines; stepwise's own tables left out.</summary>
    Task<string> CatalogAsync();

    /// <summary>The journal row (state, statements done), or null when there is none.</summary>
    Task<(string State, int StatementsDone)?> JournalAsync();

    /// <summary>Indexes left INVALID (PostgreSQL); 0 elsewhere.</summary>
    Task<int> InvalidIndexCountAsync();

    Task<long> CountAsync(string sql);

    /// <summary>Waits until the killed process's sessions are gone from the server (a statement it left may still run).</summary>
    Task WaitForStepwiseSessionsToEndAsync(TimeSpan timeout);

    /// <summary>Makes the server drop a dead client's statement quickly (PostgreSQL); false where there is no such setting.</summary>
    Task<bool> CheckDeadClientsAsync();

    /// <summary>A connection of the application (the writer's).</summary>
    Task<DbConnection> OpenWriterAsync();
}
