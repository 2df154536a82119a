using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class NonConcurrentRefreshRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "non-concurrent-refresh",
        "Refreshing an existing materialized view without CONCURRENTLY",
        Severity.Warning,
        RuleCategory.Locking,
        "Use REFRESH MATERIALIZED VIEW CONCURRENTLY (it needs a unique index on the view, and a view that was populated once), or refresh it outside the migration, from a scheduled job.",
        SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        if (statement is not RefreshMaterializedViewStatement { Concurrently: false } refresh || !context.IsExistingTable(refresh.Name))
        {
            return;
        }

        // CONCURRENTLY needs a unique index on the view: offer the edit only when the history shows one
        var fix = context.Schema.IndexesOn(refresh.Name.Key).Any(i => i.Unique && !i.Partial)
            ? new Fix("Add CONCURRENTLY", [new TextEdit(new TextSpan(refresh.ViewKeyword.End, 0), " CONCURRENTLY")])
            : null;
        context.Report(statement,
            $"REFRESH MATERIALIZED VIEW {refresh.Name} takes an ACCESS EXCLUSIVE lock on the view: every query that reads it waits until the whole view has been recomputed.", fix);
    }
}
