using System.Globalization;
using Stepwise.Migrations.Backfill;
using Stepwise.Migrations.Layouts;
using Stepwise.Sql;
using Stepwise.Sql.Lexing;
using Stepwise.Sql.Syntax;

namespace Stepwise.Migrations.Running;

/// <summary>One script ready to run: its statements as the database receives them, and whether they can run
/// in one transaction (decided from the parsed statements, or forced by `-- stepwise:no-transaction`).</summary>
public sealed class MigrationUnit
{
    private MigrationUnit(Migration migration, MigrationScript script, IReadOnlyList<string> statements, IReadOnlyList<bool> weakLock, string? noTransactionReason, IReadOnlyList<string?> concurrentIndexes, IReadOnlyList<bool> joinsTransaction)
    {
        JoinsTransaction = joinsTransaction;
        Migration = migration;
        Script = script;
        Statements = statements;
        UsesWeakLock = weakLock;
        NoTransactionReason = noTransactionReason;
        ConcurrentIndexNames = concurrentIndexes;
    }

    public Migration Migration { get; }

    public MigrationScript Script { get; }

    public IReadOnlyList<string> Statements { get; }

    /// <summary>Per statement: CONCURRENTLY builds and VALIDATE CONSTRAINT take weak locks and get the longer timeout.</summary>
    public IReadOnlyList<bool> UsesWeakLock { get; }

    /// <summary>Per statement: the index a CREATE INDEX CONCURRENTLY builds (to drop it if the build fails).</summary>
    public IReadOnlyList<string?> ConcurrentIndexNames { get; }

    /// <summary>Per statement, when the unit runs statement by statement: it may run in a transaction (not DDL on
    /// MySQL, not CONCURRENTLY…, and the file did not ask for no transaction), so it commits with its progress record.</summary>
    public IReadOnlyList<bool> JoinsTransaction { get; }

    /// <summary>Null when the unit runs in one transaction; otherwise why it runs statement by statement.</summary>
    public string? NoTransactionReason { get; }

    public bool InTransaction => NoTransactionReason is null;

    /// <summary>Set when the file's first line is <c>-- stepwise:backfill [options]</c>: `up` runs its one UPDATE as a
    /// resumable backfill instead of as a statement.</summary>
    public BackfillSpec? Backfill { get; private init; }

    /// <summary>Why a <c>-- stepwise:backfill</c> file cannot run as a backfill (then <see cref="Backfill"/> is null).</summary>
    public string? BackfillError { get; private init; }

    public const string BackfillDirective = "-- stepwise:backfill";

    public static MigrationUnit Build(Migration migration, MigrationScript script, SqlDialect dialect, int pgMajorVersion)
    {
        var options = script.BreakpointComment is null ? null : new SplitOptions { BreakpointComment = script.BreakpointComment };
        var parsed = ParsedScript.Parse(new SourceText(script.Text, script.Path), dialect, options);
        var statements = new List<string>(parsed.Statements.Count);
        var weak = new List<bool>(parsed.Statements.Count);
        var indexes = new List<string?>(parsed.Statements.Count);
        var joins = new List<bool>(parsed.Statements.Count);
        string? reason = script.NoTransaction ? script.NoTransactionReason ?? "the file asks for no transaction" : null;
        foreach (var statement in parsed.Statements)
        {
            var text = parsed.Source.ToString(statement.Span);
            if (text.Length == 0)
            {
                continue;
            }

            statements.Add(text);
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
            reason ??= because;
        }

        if (parsed.Statements.Any(st => st is TransactionStatement))
        {
            // the file opens and commits its own transactions: a statement must not be wrapped in another one
            joins = [.. joins.Select(_ => false)];
        }

        var unit = new MigrationUnit(migration, script, statements, weak, reason, indexes, joins);
        if (!IsBackfillFile(script.Text))
        {
            return unit;
        }

        var update = parsed.Statements.Where(st => parsed.Source.ToString(st.Span).Length > 0).ToList() is [UpdateStatement { HasFrom: false, HasLimit: false, Set: not null } u] ? u : null;
        if (update is null)
        {
            return new MigrationUnit(migration, script, statements, weak, reason, indexes, joins) { BackfillError = "a -- stepwise:backfill file holds exactly one UPDATE t SET … [WHERE …] (no FROM, no LIMIT)" };
        }

        var spec = new BackfillSpec($"{migration.Version}_{migration.Name}", update.Table.ToString(), update.Set!.Source.ToString(update.Set.Span).Trim(), update.Where is { } w ? w.Source.ToString(w.Span).Trim() : null, BatchTime: TimeSpan.FromMilliseconds(500), LockTimeout: TimeSpan.FromSeconds(1));
        var firstLine = script.Text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n').Split('\n', 2)[0].Trim();
        foreach (var option in firstLine[BackfillDirective.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (key, value) = option.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (option[..eq], option[(eq + 1)..]) : (option, string.Empty);
            TimeSpan? duration = TryDuration(value, out var d) ? d : null;
            spec = key switch
            {
                "name" when value.Length > 0 => spec with { Name = value },
                "batch-size" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => spec with { BatchSize = n, BatchTime = null },
                "batch-time" when duration is { } t => spec with { BatchTime = t },
                "sleep" when duration is { } t => spec with { Sleep = t },
                "lock-timeout" when duration is { } t => spec with { LockTimeout = t },
                _ => null!,
            };
            if (spec is null)
            {
                return new MigrationUnit(migration, script, statements, weak, reason, indexes, joins) { BackfillError = $"-- stepwise:backfill: unknown option or bad value '{option}' (name=, batch-size=N, batch-time=500ms, sleep=100ms, lock-timeout=1s)" };
            }
        }

        return new MigrationUnit(migration, script, statements, weak, reason, indexes, joins) { Backfill = spec };
    }

    /// <summary>True when the script's first line is the backfill directive.</summary>
    public static bool IsBackfillFile(string text) =>
        text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n').StartsWith(BackfillDirective, StringComparison.OrdinalIgnoreCase);

    /// <summary>500ms, 2s, 1m, or a bare number of seconds.</summary>
    private static bool TryDuration(string text, out TimeSpan value)
    {
        value = default;
        var (number, factor) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1.0)
            : text.EndsWith('s') ? (text[..^1], 1000.0)
            : text.EndsWith('m') ? (text[..^1], 60_000.0)
            : (text, 1000.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0)
        {
            return false;
        }

        value = TimeSpan.FromMilliseconds(n * factor);
        return true;
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
