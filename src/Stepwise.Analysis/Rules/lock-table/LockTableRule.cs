using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class LockTableRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "lock-table",
        "Explicit LOCK TABLE in a migration",
        Severity.Error,
        RuleCategory.Locking,
        "Don't take explicit table locks; rely on the statements' own locks with a lock_timeout (Stepwise sets one).");

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        // locking a table this file just created blocks nobody
        if (statement is not LockTableStatement lockTable || (lockTable.Tables.Count > 0 && !lockTable.Tables.Any(context.IsExistingTable)))
        {
            return;
        }

        var tables = lockTable.Tables.Count == 0 ? "the table" : string.Join(", ", lockTable.Tables.Where(context.IsExistingTable));
        var message = context.Dialect == SqlDialect.MySql ? MySql(lockTable.Mode, tables) : Postgres(lockTable.Mode, tables);
        context.Report(statement, message);
    }

    private static string Postgres(string? mode, string tables)
    {
        mode = string.IsNullOrEmpty(mode) ? "ACCESS EXCLUSIVE" : mode;
        var blocks = mode switch
        {
            "ACCESS EXCLUSIVE" => "every read and write",
            "EXCLUSIVE" => "every write (reads continue)",
            "SHARE ROW EXCLUSIVE" or "SHARE" => "every write",
            "SHARE UPDATE EXCLUSIVE" => "schema changes, VACUUM and concurrent index builds",
            _ => "schema changes",
        };
        return $"LOCK TABLE {tables} IN {mode} MODE blocks {blocks} until the migration's transaction ends; while it waits for running queries, every later query that conflicts with it queues too.";
    }

    private static string MySql(string? mode, string tables)
    {
        var (kind, blocks) = mode switch
        {
            "READ" => (" READ", "every other session's writes"),
            "WRITE" or "LOW_PRIORITY" => (" WRITE", "every other session's reads and writes"),
            _ => (string.Empty, "other sessions' access"),
        };
        return $"LOCK TABLES {tables}{kind} blocks {blocks} until UNLOCK TABLES, and commits any open transaction implicitly.";
    }
}
