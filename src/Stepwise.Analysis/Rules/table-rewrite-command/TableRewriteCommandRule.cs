using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class TableRewriteCommandRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "table-rewrite-command",
        "VACUUM FULL or CLUSTER rewrites the table under ACCESS EXCLUSIVE",
        Severity.Error,
        RuleCategory.Locking,
        "Use an online tool such as pg_repack, or schedule a maintenance window; plain VACUUM reclaims space for reuse without the lock.", SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        switch (statement)
        {
            case VacuumStatement { Full: true } vacuum when vacuum.Tables.Count == 0 || vacuum.Tables.Any(context.IsExistingTable):
                {
                    var what = vacuum.Tables.Count == 0 ? "every table in the database (one at a time)" : string.Join(", ", vacuum.Tables.Where(context.IsExistingTable));
                    context.Report(statement, $"VACUUM FULL rewrites {what} under an ACCESS EXCLUSIVE lock: no reads or writes until each copy finishes, and it needs disk space for a full second copy.");
                    break;
                }

            case ClusterStatement cluster when cluster.Table is null || context.IsExistingTable(cluster.Table):
                {
                    var what = cluster.Table is null ? "every previously clustered table in the database" : cluster.Table.ToString();
                    context.Report(statement, $"CLUSTER rewrites {what} in index order under an ACCESS EXCLUSIVE lock: no reads or writes until it finishes.");
                    break;
                }
        }
    }
}
