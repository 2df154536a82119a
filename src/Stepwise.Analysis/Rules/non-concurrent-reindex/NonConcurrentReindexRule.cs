using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class NonConcurrentReindexRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "non-concurrent-reindex",
        "REINDEX without CONCURRENTLY",
        Severity.Error,
        RuleCategory.Locking,
        "Use REINDEX ... CONCURRENTLY (PostgreSQL 12+), outside a transaction; before 12, build a replacement with CREATE INDEX CONCURRENTLY, then DROP INDEX CONCURRENTLY the old one and rename.", SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        if (statement is not ReindexStatement { Concurrently: false } reindex || !IsLive(reindex, context))
        {
            return;
        }

        var what = reindex.Name is null ? $"REINDEX {reindex.Target}" : $"REINDEX {reindex.Target} {reindex.Name}";
        var scope = reindex.Target switch
        {
            "INDEX" => "its table (SHARE lock) and every query that would use the index (ACCESS EXCLUSIVE on it)",
            "TABLE" => "the table (SHARE lock) and every query that would use one of its indexes (ACCESS EXCLUSIVE on each)",
            _ => "each table in turn (SHARE lock) and every query that would use the index being rebuilt",
        };
        var message = $"{what} blocks writes to {scope} for the whole rebuild.";
        Fix? fix = null;
        if (context.PgVersion < 12)
        {
            message += $" PostgreSQL {context.PgVersion} has no REINDEX CONCURRENTLY (added in 12): build a replacement with CREATE INDEX CONCURRENTLY, drop the old index CONCURRENTLY and rename the new one.";
        }
        else if (string.Equals(reindex.Target, "SYSTEM", StringComparison.Ordinal))
        {
            message += " REINDEX SYSTEM has no concurrent form: schedule a maintenance window.";
        }
        else if (statement.Context is not null)
        {
            message += " REINDEX CONCURRENTLY cannot run inside a DO block: move it into a migration of its own.";
        }
        else
        {
            fix = new Fix("Add CONCURRENTLY", [new TextEdit(new TextSpan(reindex.TargetKeyword.End, 0), " CONCURRENTLY")]);
        }

        context.Report(statement, message, fix);
    }

    /// <summary>Rebuilding an index or table created earlier in this file touches no live data.</summary>
    private static bool IsLive(ReindexStatement reindex, RuleContext context)
    {
        if (reindex.Name is not { } name)
        {
            return true;
        }

        switch (reindex.Target)
        {
            case "TABLE":
                return context.IsExistingTable(name);
            case "INDEX" when context.Schema.Indexes.TryGetValue(name.Key, out var index):
                return !string.Equals(index.CreatedIn, context.Source.Path, StringComparison.Ordinal) &&
                    context.IsExistingTable(new ObjectName(null, index.TableKey, default));
            default:
                return true;
        }
    }
}
