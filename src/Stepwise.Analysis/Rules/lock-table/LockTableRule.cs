using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class LockTableRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "lock-table",
        "Explicit LOCK TABLE in a migration",
        Severity.Error,
        RuleCategory.Locking,
        "Don't take explicit table locks; rely on the statements' own locks with a lock_timeout (Stepwise sets one).");

    public override RuleDescriptor Descriptor => Info;
}
