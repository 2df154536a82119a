using Stepwise.Analysis;
using Stepwise.Engines;
using Stepwise.Migrations.Backfill;
using Stepwise.Migrations.ExpandContract;
using Stepwise.Migrations.Layouts;
using Stepwise.Sql;
using Stepwise.Sql.Lexing;
using Stepwise.Sql.Syntax;

namespace Stepwise.Migrations.Running;

/// <summary>One script ready to run: its statements as the database receives them, and whether they can run
/// in one transaction (decided from the parsed statements, or forced by `-- stepwise:no-transaction`).</summary>
public sealed class MigrationUnit
{
    private MigrationUnit(Migration migration, MigrationScript script, IReadOnlyList<string> statements, IReadOnlyList<bool> weakLock, string? noTransactionReason, IReadOnlyList<string?> concurrentIndexes, IReadOnlyList<bool> joinsTransaction, IReadOnlyList<string> tables)
    {
        Tables = tables;
        JoinsTransaction = joinsTransaction;
        Migration = migration;
        Script = script;
        Statements = statements;
        UsesWeakLock = weakLock;
        NoTransactionReason = noTransactionReason;
        ConcurrentIndexNames = concurrentIndexes;
    }

    /// <summary>The tables the script's statements name (key form), for the check against expand/contract
    /// migrations in flight.</summary>
    public IReadOnlyList<string> Tables { get; }

    /// <summary>The migration the script belongs to.</summary>
    public Migration Migration { get; }

    /// <summary>The script (up or down) the statements come from.</summary>
    public MigrationScript Script { get; }

    /// <summary>The statements as the database receives them, in order.</summary>
    public IReadOnlyList<string> Statements { get; }

    /// <summary>Per statement: CONCURRENTLY builds and VALIDATE CONSTRAINT take weak locks and get the longer timeout.</summary>
    public IReadOnlyList<bool> UsesWeakLock { get; }

    /// <summary>Per statement: the index a CREATE INDEX CONCURRENTLY builds (to drop it if the build fails).</summary>
    public IReadOnlyList<string?> ConcurrentIndexNames { get; }

    /// <summary>Per statement, when the unit runs statement by statement: it may run in a transaction (not DDL on
    /// MySQL, not CONCURRENTLY…, and the file did not ask for no transaction), so it commits with its progress record.</summary>
    public IReadOnlyList<bool> JoinsTransaction { get; }

    /// <summary>Per statement, when the file manages its own transactions: whether it opens, ends or (MySQL DDL)
    /// implicitly commits the file's transaction; empty when the file has no transaction statements.</summary>
    internal IReadOnlyList<OwnTransaction> OwnTransactions { get; private init; } = [];

    /// <summary>Null when the unit runs in one transaction; otherwise why it runs statement by statement.</summary>
    public string? NoTransactionReason { get; }

    /// <summary>The whole unit runs in one transaction with its journal row.</summary>
    public bool InTransaction => NoTransactionReason is null;

    /// <summary>Set when the file's first line is <c>-- stepwise:backfill [options]</c>: `up` runs its one UPDATE as a
    /// resumable backfill instead of as a statement.</summary>
    public BackfillSpec? Backfill { get; private init; }

    /// <summary>Why a <c>-- stepwise:backfill</c> file cannot run as a backfill (then <see cref="Backfill"/> is null).</summary>
    public string? BackfillError { get; private init; }

    /// <summary>Set when the file's first line is <c>-- stepwise:expand-contract</c>: `up` runs its expand phase
    /// (then `complete` its contract, or `abort`) instead of its statements.</summary>
    public EcFile? ExpandContract { get; private init; }

    /// <summary>Why a <c>-- stepwise:expand-contract</c> file cannot run as one (then <see cref="ExpandContract"/> is null).</summary>
    public string? ExpandContractError { get; private init; }

    /// <summary>The file has the expand/contract directive (readable or not).</summary>
    public bool IsExpandContract => ExpandContract is not null || ExpandContractError is not null;

    /// <summary>Splits and classifies a script for a dialect (and PostgreSQL major version, 0 elsewhere).</summary>
    public static MigrationUnit Build(Migration migration, MigrationScript script, SqlDialect dialect, int pgMajorVersion)
    {
        var options = script.BreakpointComment is null ? null : new SplitOptions { BreakpointComment = script.BreakpointComment };
        var parsed = ParsedScript.Parse(new SourceText(script.Text, script.Path), dialect, options);
        var statements = new List<string>(parsed.Statements.Count);
        var weak = new List<bool>(parsed.Statements.Count);
        var indexes = new List<string?>(parsed.Statements.Count);
        var joins = new List<bool>(parsed.Statements.Count);
        var tables = new List<string>();
        var own = new List<OwnTransaction>(parsed.Statements.Count);
        string? reason = script.NoTransaction ? script.NoTransactionReason ?? "the file asks for no transaction" : null;
        foreach (var statement in parsed.Statements)
        {
            var text = parsed.Source.ToString(statement.Span);
            if (text.Length == 0)
            {
                continue;
            }

            statements.Add(text);
            tables.AddRange(EcReader.TablesOf(statement).Where(t => !tables.Contains(t, StringComparer.Ordinal)));
            var isWeak = statement switch
            {
                CreateIndexStatement { Concurrently: true } or DropIndexStatement { Concurrently: true } or ReindexStatement { Concurrently: true } => true,
                AlterTableStatement alter => alter.Actions.All(a => a is ValidateConstraintAction),
                _ => false,
            };
            weak.Add(isWeak);
            indexes.Add(statement is CreateIndexStatement { Concurrently: true, Name: { } n } ? n.Key : null);
            var because = NoTransactionBecause(statement, text, dialect, pgMajorVersion);
            joins.Add(because is null && !script.NoTransaction);
            own.Add(statement switch
            {
                TransactionStatement { Operation: TransactionOperation.Begin } => OwnTransaction.Begin,
                TransactionStatement { Operation: TransactionOperation.Commit or TransactionOperation.Rollback } => OwnTransaction.End,
                _ when dialect == SqlDialect.MySql && because is not null => OwnTransaction.ImplicitCommit,
                _ => OwnTransaction.None,
            });
            reason ??= because;
        }

        IReadOnlyList<OwnTransaction> ownTransactions = [];
        if (parsed.Statements.Any(st => st is TransactionStatement))
        {
            // the file opens and commits its own transactions: a statement must not be wrapped in another one
            joins = [.. joins.Select(_ => false)];
            ownTransactions = own;
        }

        var unit = new MigrationUnit(migration, script, statements, weak, reason, indexes, joins, tables) { OwnTransactions = ownTransactions };
        if (ExpandContractDirective.IsPresent(script.Text))
        {
            var down = ReferenceEquals(script, migration.Down);
            string? error = null;
            var ecFile = down ? null : EcReader.Read(parsed, out error);
            error = down ? "the expand-contract directive belongs in the up file (`down` of an expanded migration is `abort`; a down file undoes a completed one)"
                : script.NoTransaction && ecFile is not null ? "an expand/contract file runs in steps that Stepwise commits itself; remove the file's no-transaction directive"
                : error;
            return new MigrationUnit(migration, script, statements, weak, reason, indexes, joins, tables) { OwnTransactions = ownTransactions, ExpandContract = error is null ? ecFile : null, ExpandContractError = error };
        }

        if (!BackfillDirective.IsPresent(script.Text))
        {
            return unit;
        }

        var file = BackfillDirective.Read(parsed, out var problem);
        if (file is null)
        {
            return new MigrationUnit(migration, script, statements, weak, reason, indexes, joins, tables) { OwnTransactions = ownTransactions, BackfillError = problem?.Message ?? "not a backfill file" };
        }

        return new MigrationUnit(migration, script, statements, weak, reason, indexes, joins, tables) { OwnTransactions = ownTransactions, Backfill = SpecOf(file, $"{migration.Version}_{migration.Name}{(ReferenceEquals(script, migration.Down) ? ".down" : string.Empty)}") };
    }

    /// <summary>The runner's spec for a backfill file: batch-size alone fixes the size; otherwise the size adapts
    /// to batch-time (default <see cref="BackfillSpec.DefaultBatchTime"/>), starting from batch-size.</summary>
    public static BackfillSpec SpecOf(BackfillFile file, string defaultName)
    {
        var o = file.Options;
        return new BackfillSpec(
            o.Name ?? defaultName,
            file.Table,
            file.Set,
            file.Where,
            o.BatchSize ?? BackfillSpec.DefaultBatchSize,
            BackfillSpec.BatchTimeFor(o.BatchSize, o.BatchTime),
            o.Sleep ?? TimeSpan.Zero,
            o.LockTimeout ?? BackfillSpec.DefaultLockTimeout) { NiceRatio = o.NiceRatio ?? 0 };
    }

    /// <summary>Why this statement cannot run inside a transaction block, or null.</summary>
    private static string? NoTransactionBecause(Statement statement, string text, SqlDialect dialect, int pgMajorVersion)
    {
        if (statement is TransactionStatement)
        {
            return "the file manages its own transactions";
        }

        if (dialect == SqlDialect.MySql)
        {
            // MySQL/MariaDB DDL commits implicitly: run statement by statement and record progress
            return statement.Kind is StatementKind.CreateTable or StatementKind.AlterTable or StatementKind.DropTable or StatementKind.RenameTable
                or StatementKind.CreateIndex or StatementKind.DropIndex or StatementKind.Truncate or StatementKind.CreateTrigger or StatementKind.CreateFunction
                || statement.Keywords.StartsWith("CREATE", StringComparison.Ordinal) || statement.Keywords.StartsWith("DROP", StringComparison.Ordinal) || statement.Keywords.StartsWith("ALTER", StringComparison.Ordinal)
                ? "MySQL commits DDL implicitly"
                : null;
        }

        switch (statement)
        {
            case CreateIndexStatement { Concurrently: true }:
                return "CREATE INDEX CONCURRENTLY cannot run inside a transaction";
            case DropIndexStatement { Concurrently: true }:
                return "DROP INDEX CONCURRENTLY cannot run inside a transaction";
            case ReindexStatement { Concurrently: true }:
                return "REINDEX CONCURRENTLY cannot run inside a transaction";
            case VacuumStatement:
                return "VACUUM cannot run inside a transaction";
            case AlterTypeStatement { AddedValue: not null } when dialect == SqlDialect.PostgreSql && pgMajorVersion is > 0 and < 12:
                return "ALTER TYPE … ADD VALUE cannot run inside a transaction before PostgreSQL 12";
            case DoStatement { Body.HasCommit: true }:
                return "the DO block commits";
            case TransactionStatement:
                return "the file manages its own transactions";
            case AlterTableStatement alter when alter.Actions.OfType<OtherAlterAction>().Any(a => a.Keywords.StartsWith("DETACH PARTITION", StringComparison.Ordinal))
                && text.Contains("CONCURRENTLY", StringComparison.OrdinalIgnoreCase):
                return "DETACH PARTITION CONCURRENTLY cannot run inside a transaction";
        }

        string[] outside = ["CREATE DATABASE", "DROP DATABASE", "ALTER SYSTEM", "CREATE TABLESPACE", "DROP TABLESPACE"];
        foreach (var keywords in outside)
        {
            if (statement.Keywords.StartsWith(keywords, StringComparison.Ordinal))
            {
                return keywords + " cannot run inside a transaction";
            }
        }

        return null;
    }
}

/// <summary>What a statement does to the transaction of a file that manages its own.</summary>
internal enum OwnTransaction
{
    /// <summary>Nothing.</summary>
    None,

    /// <summary>BEGIN / START TRANSACTION: opens it.</summary>
    Begin,

    /// <summary>COMMIT / ROLLBACK: ends it.</summary>
    End,

    /// <summary>MySQL DDL: commits any open transaction before it runs (and runs outside one).</summary>
    ImplicitCommit,
}
