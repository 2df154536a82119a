using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class MixedSchemaAndDataRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "mixed-schema-and-data",
        "A migration that changes both the schema and rows of existing tables",
        Severity.Warning,
        RuleCategory.Data,
        "Split it: one migration for the schema change, another for the data change.");

    public override RuleDescriptor Descriptor => Info;
}
