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

    public override void Check(Statement statement, RuleContext context)
    {
        if (statement is not DropIndexStatement { Concurrently: false } drop)
        {
            return;
        }

        var live = drop.Indexes.Where(name => IsLive(name, context)).ToList();
        if (live.Count == 0)
        {
            return;
        }

        var tables = live.Select(name => context.Schema.Indexes.GetValueOrDefault(name.Key)?.TableKey).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var on = tables.Count == 0 ? "its table" : string.Join(", ", tables);
        var message = $"DROP INDEX {string.Join(", ", live)} takes an ACCESS EXCLUSIVE lock on {on}: while it waits for running queries, every new read and write on the table queues behind it.";

        // CONCURRENTLY accepts one index and no CASCADE, and cannot run inside a DO block or function
        Fix? fix = null;
        if (statement.Context is not null)
        {
            message += " Inside a DO block there is no concurrent form: move the drop into a migration of its own.";
        }
        else if (drop.Indexes.Count == 1 && !StatementTokens.Significant(statement, context.Script).Any(t => StatementTokens.IsWord(context.Source, t, "CASCADE")))
        {
            fix = new Fix("Add CONCURRENTLY", [new TextEdit(new TextSpan(drop.IndexKeyword.End, 0), " CONCURRENTLY")]);
        }

        context.Report(statement, message, fix);
    }

    /// <summary>An index created earlier in this file, or on a table created in this file, has no traffic yet.</summary>
    private static bool IsLive(ObjectName name, RuleContext context)
    {
        if (!context.Schema.Indexes.TryGetValue(name.Key, out var index))
        {
            return true;
        }

        return !string.Equals(index.CreatedIn, context.Source.Path, StringComparison.Ordinal) &&
            context.IsExistingTable(new ObjectName(null, index.TableKey, default));
    }
}
