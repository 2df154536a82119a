using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class NonConcurrentIndexDropRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "non-concurrent-index-drop",
        "Dropping an index without CONCURRENTLY",
        Severity.Warning,
        RuleCategory.Locking,
        "Use DROP INDEX CONCURRENTLY in a migration of its own (no transaction).", SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;
}
