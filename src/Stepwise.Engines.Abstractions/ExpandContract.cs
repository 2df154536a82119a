using Stepwise.Sql.Syntax;

namespace Stepwise.Engines;

// Expand/contract: the engine-neutral description of a change (what the file's SQL asks for) and the plan an
// engine makes of it (the idempotent steps of each phase). The core (Stepwise.Migrations) reads the changes from
// a `-- stepwise:expand-contract` file, asks the engine's IExpandContractSql for a plan, stores the plan with the
// journal row, and runs its phases: expand (+ backfills), then contract (`complete`) or abort (`abort`).
// Table names are in key form: unquoted, `schema.name` or `name`; the engine quotes them.

/// <summary>One change of an expand/contract migration, as read from the file's SQL.</summary>
/// <param name="Table">The table it changes (key form: unquoted, optionally schema-qualified).</param>
public abstract record EcChange(string Table);

/// <summary><c>ALTER TABLE t RENAME COLUMN a TO b</c>: both names work until contract.</summary>
public sealed record EcRenameColumn(string Table, string Column, string NewName) : EcChange(Table);

/// <summary><c>ALTER COLUMN c TYPE t [USING e]</c> (MySQL: <c>MODIFY</c>/<c>CHANGE</c>). Until contract the
/// column keeps its old type under its name (a shadow column of the new type is kept in sync); contract swaps them.</summary>
/// <param name="Table">The table (key form).</param>
/// <param name="Column">The column whose type changes (its current name).</param>
/// <param name="NewType">The new type as written, e.g. <c>bigint</c>.</param>
/// <param name="Using">PostgreSQL's USING expression (old → new), written over the column's name; null: a cast.</param>
public sealed record EcChangeColumnType(string Table, string Column, string NewType, string? Using) : EcChange(Table)
{
    /// <summary>MySQL <c>CHANGE old new …</c>: the new name (null: unchanged).</summary>
    public string? NewName { get; init; }

    /// <summary>MySQL: the whole column definition after the name as written (type, NULL/NOT NULL, DEFAULT…).</summary>
    public string? Definition { get; init; }

    /// <summary>From <c>-- stepwise:old-value COLUMN = EXPR</c>: new → old, written over the new column's name (needed
    /// only when the column is also renamed, so both are visible); null: a cast.</summary>
    public string? OldValue { get; init; }
}

/// <summary><c>ALTER TABLE a RENAME TO b</c> (MySQL: <c>RENAME TABLE</c>): until contract the old name is an updatable view.</summary>
public sealed record EcRenameTable(string Table, string NewName) : EcChange(Table);

/// <summary><c>ALTER COLUMN c SET NOT NULL</c> (MySQL: <c>MODIFY c … NOT NULL</c> on a nullable column).</summary>
public sealed record EcSetNotNull(string Table, string Column) : EcChange(Table)
{
    /// <summary>MySQL: the column definition after the name as written.</summary>
    public string? Definition { get; init; }
}

/// <summary><c>ADD COLUMN c type NOT NULL [DEFAULT d]</c>: existing rows and the old release's inserts get
/// <see cref="Fill"/>; NOT NULL is enforced at contract.</summary>
/// <param name="Table">The table (key form).</param>
/// <param name="Column">The new column's name.</param>
/// <param name="Type">The column's type as written.</param>
/// <param name="Fill">The value for existing rows and for inserts that do not name the column: the DEFAULT as
/// written, or <c>-- stepwise:fill COLUMN = EXPR</c>.</param>
/// <param name="Default">The DEFAULT the column keeps after contract, as written (null: none).</param>
public sealed record EcAddRequiredColumn(string Table, string Column, string Type, string Fill, string? Default) : EcChange(Table);

/// <summary><c>DROP COLUMN c</c>: expand only makes sure the new release's inserts (without the column) work;
/// contract drops it.</summary>
public sealed record EcDropColumn(string Table, string Column) : EcChange(Table);

/// <summary><c>DROP TABLE t</c>: nothing happens until contract.</summary>
public sealed record EcDropTable(string Table) : EcChange(Table);

/// <summary>Any other statement of the file: it runs in expand, in its safe form where one is known
/// (CREATE INDEX → CONCURRENTLY, ADD FOREIGN KEY/CHECK → NOT VALID + VALIDATE, ADD UNIQUE → concurrent index +
/// USING INDEX); the engine refuses (EcPlanException) one it cannot run safely.</summary>
/// <param name="Table">The first table the statement names (key form), or null when it names none.</param>
/// <param name="Sql">The statement as written.</param>
/// <param name="Parsed">The parsed statement.</param>
public sealed record EcStatement(string? Table, string Sql, Statement Parsed) : EcChange(Table ?? string.Empty);

/// <summary>How a step's statements run.</summary>
public enum EcStepKind
{
    /// <summary>In one transaction, under the lock timeout, retried as a whole on a lock timeout.</summary>
    Transaction,

    /// <summary>One by one outside a transaction (CONCURRENTLY; MySQL DDL), each under the lock timeout and retried.</summary>
    Statements,

    /// <summary>One by one on one connection that holds a table lock (MySQL's LOCK TABLES cut-over); retried as a whole.</summary>
    LockedSession,
}

/// <summary>One step of a phase. Every step is idempotent: after a crash the core runs it again from its start
/// (IF [NOT] EXISTS, CREATE OR REPLACE, conditional renames), so a phase resumes at the first step not recorded done.</summary>
/// <param name="What">A short description for progress output, e.g. "add shadow column orders.quantity".</param>
/// <param name="Kind">How the statements run (one transaction, one by one, or on a locked session).</param>
/// <param name="Statements">The step's SQL statements, in order.</param>
public sealed record EcStep(string What, EcStepKind Kind, IReadOnlyList<string> Statements);

/// <summary>A backfill the expand phase runs (through the resumable backfill runner) after its steps:
/// <c>UPDATE Table SET Set WHERE Where</c> in key order, in batches.</summary>
public sealed record EcBackfill(string Table, string Set, string? Where);

/// <summary>A name the old release uses (for the guard before contract): a column (Column set) or a table.</summary>
public sealed record EcOldName(string Table, string? Column);

/// <summary>An engine's plan of an expand/contract migration. The core stores it (as JSON) with the journal row
/// when expand starts, so complete and abort run exactly what expand prepared for.</summary>
public sealed record EcPlan
{
    /// <summary>Steps of expand, in order (add columns, sync triggers, views, safe forms of other statements).</summary>
    public required IReadOnlyList<EcStep> Expand { get; init; }

    /// <summary>Backfills run after the expand steps, in order.</summary>
    public required IReadOnlyList<EcBackfill> Backfills { get; init; }

    /// <summary>Steps of contract (`complete`): finalise constraints, swap, drop what expand added and the old shape.</summary>
    public required IReadOnlyList<EcStep> Contract { get; init; }

    /// <summary>Steps of abort: undo expand whatever part of it ran, leaving the schema as before `up`.</summary>
    public required IReadOnlyList<EcStep> Abort { get; init; }

    /// <summary>Tables the migration touches (old and new names): a later migration touching one is refused
    /// while this one is expanded.</summary>
    public required IReadOnlyList<string> Tables { get; init; }

    /// <summary>Names only the old release uses; contract removes them.</summary>
    public required IReadOnlyList<EcOldName> OldNames { get; init; }
}

/// <summary>Why an engine cannot run a change with expand/contract (e.g. a renamed column is in a foreign key).</summary>
public sealed class EcPlanException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EcPlanException()
    {
    }

    /// <summary>Creates the exception with the reason, worded for the user.</summary>
    public EcPlanException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reason and its cause.</summary>
    public EcPlanException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>An engine's expand/contract SQL (an ability: <c>engine.Ability&lt;IExpandContractSql&gt;()</c>).</summary>
public interface IExpandContractSql
{
    /// <summary>Plans the changes against the current catalog (types, nullability, defaults, indexes,
    /// constraints of the touched columns). Throws <see cref="EcPlanException"/> for a change it cannot run safely.</summary>
    /// <param name="id">A short tag unique to the migration (its version), used in the names of the objects expand
    /// creates (triggers, functions, shadow columns), so two migrations never collide.</param>
    /// <param name="changes">The file's changes in order.</param>
    /// <param name="cancellationToken">Cancels the catalog reads.</param>
    Task<EcPlan> PlanAsync(string id, IReadOnlyList<EcChange> changes, CancellationToken cancellationToken);
}

/// <summary>One statement the database recorded that uses an old name (for the guard before contract).</summary>
/// <param name="Query">The normalised statement text (from pg_stat_statements or performance_schema digests).</param>
/// <param name="Calls">Executions seen.</param>
/// <param name="LastSeen">When it last ran, where the database records it (null: not recorded).</param>
public sealed record EcOldNameUse(string Query, long Calls, DateTimeOffset? LastSeen);

/// <summary>An engine's way to tell whether the old release still runs (an ability; absent where the database
/// cannot tell).</summary>
public interface IOldNameUsage
{
    /// <summary>Why the database cannot tell right now (e.g. pg_stat_statements is not installed), or null.</summary>
    Task<string?> UnavailableBecauseAsync(CancellationToken cancellationToken);

    /// <summary>Statements that used one of the names within the quiet period (empty: none seen).</summary>
    Task<IReadOnlyList<EcOldNameUse>> RecentUsesAsync(IReadOnlyList<EcOldName> names, TimeSpan quietPeriod, CancellationToken cancellationToken);
}
