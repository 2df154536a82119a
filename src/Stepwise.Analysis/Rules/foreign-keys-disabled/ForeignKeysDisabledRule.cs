using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class ForeignKeysDisabledRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "foreign-keys-disabled",
        "Turning off foreign-key enforcement (DISABLE TRIGGER ALL, session_replication_role = replica)",
        Severity.Error,
        RuleCategory.Correctness,
        "Keep foreign keys enforced: change the data in batches that satisfy them; if a constraint is truly in the way, drop it and add it back with NOT VALID, then VALIDATE CONSTRAINT in a later migration (it checks the existing rows without blocking writes).",
        SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        switch (statement)
        {
            case AlterTableStatement alter:
                foreach (var action in alter.Actions.OfType<OtherAlterAction>())
                {
                    if (action.Keywords.StartsWith("DISABLE TRIGGER ALL", StringComparison.Ordinal))
                    {
                        context.Report(action.Span,
                            $"DISABLE TRIGGER ALL on {alter.Table} also disables the internal triggers that enforce its foreign keys: rows written until ENABLE TRIGGER ALL are never checked, and re-enabling does not check them either.");
                    }
                }

                break;
            case SetStatement set when string.Equals(set.Name, "session_replication_role", StringComparison.Ordinal) &&
                string.Equals(set.Value.Trim().Trim('"'), "replica", StringComparison.OrdinalIgnoreCase):
                context.Report(statement,
                    "SET session_replication_role = replica turns off every ordinary trigger of the session, including the ones that enforce foreign keys: rows this migration writes are never checked against their references.");
                break;
        }
    }
}
