using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class TriggerOnExistingTableRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "trigger-on-existing-table",
        "Creating a trigger on an existing table",
        Severity.Warning,
        RuleCategory.Locking,
        "Put the CREATE TRIGGER in a short migration of its own (the trigger function in an earlier one) and run it with a lock timeout, which Stepwise sets and retries, so a long-running query makes it give up and retry instead of queueing every write behind it.",
        SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        if (statement is not CreateTriggerStatement { Table: { } table } || statement.Context is not null || !context.IsExistingTable(table))
        {
            return;
        }

        context.Report(statement,
            $"CREATE TRIGGER on existing table {table} takes a SHARE ROW EXCLUSIVE lock: it waits for every running query on {table}, and while it waits all writes to the table queue behind it; once it holds the lock, writes are blocked until the migration commits.");
    }
}
