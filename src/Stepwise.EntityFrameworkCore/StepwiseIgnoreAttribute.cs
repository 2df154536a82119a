namespace Stepwise.EntityFrameworkCore;

/// <summary>
/// Suppresses a Stepwise rule for a whole EF Core migration, with the reason (required):
/// <code>
/// [StepwiseIgnore("non-concurrent-index", "the table has 40 rows and is written once a day")]
/// public partial class AddTagIndex : Migration { … }
/// </code>
/// For one statement, put the comment form just before the operation instead:
/// <c>migrationBuilder.Sql("-- stepwise:ignore rename-column the old name is unused since v2.3");</c>.
/// A suppression that matches no finding is reported as an <c>unused-suppression</c> warning.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class StepwiseIgnoreAttribute : Attribute
{
    /// <param name="rule">The rule's name, as in <c>stepwise explain --list</c> (e.g. rename-column).</param>
    /// <param name="reason">Why it is safe here: shown in reviews, required.</param>
    public StepwiseIgnoreAttribute(string rule, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rule);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Rule = rule;
        Reason = reason;
    }

    /// <summary>The suppressed rule's name (e.g. rename-column).</summary>
    public string Rule { get; }

    /// <summary>Why the rule's finding is safe to ignore in this migration.</summary>
    public string Reason { get; }
}
