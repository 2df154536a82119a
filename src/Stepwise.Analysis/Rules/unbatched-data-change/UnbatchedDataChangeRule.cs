using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class UnbatchedDataChangeRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "unbatched-data-change",
        "UPDATE or DELETE over a whole existing table in one statement",
        Severity.Error,
        RuleCategory.Data,
        "Use `stepwise backfill` (keyset batches, one commit each), or a loop that commits per bounded batch.");

    public override RuleDescriptor Descriptor => Info;
}
