using Stepwise.Engines;
using Stepwise.Migrations.Running;

namespace Stepwise.Migrations.ExpandContract;

/// <summary>A phase of an expand/contract migration.</summary>
public enum EcPhase
{
    /// <summary><c>up</c>: the expand steps, then the backfills; ends <c>expanded</c>.</summary>
    Expand,

    /// <summary><c>complete</c>: the contract steps; ends <c>applied</c>.</summary>
    Contract,

    /// <summary><c>abort</c> (or <c>down</c> of an expanded migration): the abort steps; ends pending again.</summary>
    Abort,
}

/// <summary>A <c>-- stepwise:expand-contract</c> file that cannot run as one; nothing ran.</summary>
/// <param name="Version">The migration's version.</param>
/// <param name="Name">Its name.</param>
/// <param name="Reason">Why.</param>
public sealed record InvalidExpandContract(string Version, string Name, string Reason) : RunProblem;

/// <summary>The database's engine has no expand/contract ability; nothing ran.</summary>
/// <param name="Version">The migration's version.</param>
/// <param name="Name">Its name.</param>
/// <param name="Dialect">The database's dialect.</param>
public sealed record ExpandContractUnsupported(string Version, string Name, Stepwise.Sql.SqlDialect Dialect) : RunProblem;

/// <summary>The engine cannot run a change of the file with expand/contract (<see cref="EcPlanException"/>); nothing ran.</summary>
/// <param name="Version">The migration's version.</param>
/// <param name="Name">Its name.</param>
/// <param name="Reason">The engine's reason, worded for the user.</param>
public sealed record ExpandContractRefused(string Version, string Name, string Reason) : RunProblem;

/// <summary>A migration touches a table that an expand/contract migration in flight (expanded, or interrupted in a
/// phase) also touches: it must wait until that one is completed or aborted.</summary>
/// <param name="Version">The migration that was not run.</param>
/// <param name="Name">Its name.</param>
/// <param name="Table">The shared table.</param>
/// <param name="InFlightVersion">The expand/contract migration in flight.</param>
/// <param name="InFlightName">Its name.</param>
/// <param name="InFlightState">Its journal state.</param>
public sealed record TableInFlight(string Version, string Name, string Table, string InFlightVersion, string InFlightName, JournalState InFlightState) : RunProblem;

/// <summary><c>complete VERSION</c> / <c>abort VERSION</c> of a version that is not an expanded migration (unknown,
/// pending, applied …): a usage error, nothing ran.</summary>
/// <param name="Version">The version as given.</param>
/// <param name="State">Its journal state, or null when it has no journal row.</param>
/// <param name="Command">complete or abort.</param>
public sealed record NotExpanded(string Version, JournalState? State, string Command) : RunProblem
{
    /// <inheritdoc/>
    public override bool IsInputError => true;
}

/// <summary><c>abort</c> of a migration whose contract phase already started: the old shape is (partly) gone, so
/// only <c>complete</c> can finish it.</summary>
/// <param name="Version">Its version.</param>
/// <param name="Name">Its name.</param>
public sealed record ContractStarted(string Version, string Name) : RunProblem;

/// <summary>The journal row of an expand/contract migration holds no readable plan; nothing ran.</summary>
/// <param name="Version">Its version.</param>
/// <param name="Name">Its name.</param>
/// <param name="Problem">What is wrong with it.</param>
public sealed record UnreadablePlan(string Version, string Name, string Problem) : RunProblem;

/// <summary><c>complete</c> refused: the database saw queries using names only the old release uses within the
/// quiet period (the old release still runs). <c>--force</c> overrides.</summary>
/// <param name="Version">The migration.</param>
/// <param name="Name">Its name.</param>
/// <param name="Uses">The queries, as the database recorded them.</param>
/// <param name="QuietPeriod">The quiet period asked for.</param>
public sealed record OldNamesInUse(string Version, string Name, IReadOnlyList<EcOldNameUse> Uses, TimeSpan QuietPeriod) : RunProblem;

/// <summary><c>up</c>: a migration's expand phase is done; the old and the new release both run until
/// <c>complete</c> or <c>abort</c>.</summary>
/// <param name="Version">Its version.</param>
/// <param name="Name">Its name.</param>
public sealed record MigrationExpanded(string Version, string Name) : RunNote;

/// <summary><c>complete</c>: a migration's contract phase is done; it is applied.</summary>
/// <param name="Version">Its version.</param>
/// <param name="Name">Its name.</param>
public sealed record MigrationCompleted(string Version, string Name) : RunNote;

/// <summary><c>abort</c> (or <c>down</c>): a migration's expand phase is undone; it is pending again.</summary>
/// <param name="Version">Its version.</param>
/// <param name="Name">Its name.</param>
public sealed record MigrationAborted(string Version, string Name) : RunNote;

/// <summary>Why <c>complete</c> did not check whether the old release still runs.</summary>
public enum GuardSkip
{
    /// <summary><c>--force</c> was given.</summary>
    Forced,

    /// <summary>The engine has no way to tell (no <see cref="IOldNameUsage"/>).</summary>
    NoAbility,

    /// <summary>The database cannot tell right now (the detail says why, e.g. pg_stat_statements is missing).</summary>
    Unavailable,
}

/// <summary><c>complete</c> went on without knowing whether the old release still runs.</summary>
/// <param name="Why">Why it did not check.</param>
/// <param name="Detail">The database's reason, for <see cref="GuardSkip.Unavailable"/>.</param>
/// <param name="Uses">With <c>--force</c>: the queries the check would have refused for (empty when none or not checked).</param>
public sealed record GuardNotChecked(GuardSkip Why, string? Detail, IReadOnlyList<EcOldNameUse> Uses) : RunNote;
