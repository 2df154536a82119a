using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class AddingColumnVolatileDefaultRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "adding-column-volatile-default",
        "Adding a column whose default rewrites the table",
        Severity.Error,
        RuleCategory.Locking,
        "Add the column as nullable without the default, then SET DEFAULT (applies to new rows only) and backfill existing rows in batches.", SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;
}
