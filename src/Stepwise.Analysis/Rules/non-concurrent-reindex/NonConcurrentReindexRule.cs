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
        "Use REINDEX ... CONCURRENTLY (PostgreSQL 12+), outside a transaction.", SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;
}
