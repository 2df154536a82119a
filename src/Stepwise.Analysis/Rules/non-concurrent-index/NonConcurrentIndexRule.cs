using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class NonConcurrentIndexRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "non-concurrent-index",
        "Creating an index on an existing table without CONCURRENTLY",
        Severity.Error,
        RuleCategory.Locking,
        "Use CREATE INDEX CONCURRENTLY in a migration of its own; Stepwise runs it outside a transaction.",
        SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        if (statement is not CreateIndexStatement { Concurrently: false } index || !context.IsExistingTable(index.Table))
        {
            return;
        }

        var fix = new Fix("Add CONCURRENTLY", [new TextEdit(new TextSpan(index.IndexKeyword.End, 0), " CONCURRENTLY")]);
        context.Report(statement, $"CREATE {(index.Unique ? "UNIQUE " : string.Empty)}INDEX on existing table {index.Table} takes a SHARE lock that blocks all writes for the whole build.", fix);
    }
}
