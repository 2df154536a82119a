using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class ConcurrentlyInTransactionRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "concurrently-in-transaction",
        "A CONCURRENTLY statement inside a transaction block or function",
        Severity.Error,
        RuleCategory.Correctness,
        "Remove the BEGIN/COMMIT around it (or take it out of the DO block or function): Stepwise runs migrations with CONCURRENTLY statements outside a transaction.", SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        if (statement is CreateFunctionStatement { Body: { } body } function)
        {
            // the linter does not run function bodies as part of the migration; check them here
            foreach (var inner in body.Statements)
            {
                if (Concurrent(inner, context) is { } innerWhat)
                {
                    var kind = function.IsProcedure ? "procedure" : "function";
                    context.Report(inner, $"{innerWhat} inside {kind} {function.Name} fails every time the {kind} is called: PostgreSQL refuses CONCURRENTLY inside a function or procedure.");
                }
            }

            return;
        }

        if (Concurrent(statement, context) is not { } what)
        {
            return;
        }

        if (statement.Context is not null)
        {
            context.Report(statement, $"{what} inside a DO block fails: PostgreSQL refuses CONCURRENTLY inside a function or DO block, which always runs within one transaction.");
        }
        else if (context.InExplicitTransaction)
        {
            var line = StatementTokens.OpenTransactionLine(context);
            var opened = line is null ? "an explicit transaction block" : $"the transaction block opened at line {line}";
            context.Report(statement, $"{what} inside {opened} fails: PostgreSQL refuses CONCURRENTLY in a transaction block.");
        }
    }

    /// <summary>What the statement is, when it is a form PostgreSQL refuses inside a transaction block.</summary>
    private static string? Concurrent(Statement statement, RuleContext context)
    {
        switch (statement)
        {
            case CreateIndexStatement { Concurrently: true } create:
                return create.Unique ? "CREATE UNIQUE INDEX CONCURRENTLY" : "CREATE INDEX CONCURRENTLY";
            case DropIndexStatement { Concurrently: true }:
                return "DROP INDEX CONCURRENTLY";
            case ReindexStatement { Concurrently: true }:
                return "REINDEX CONCURRENTLY";
            case AlterTableStatement alter:
                foreach (var action in alter.Actions.OfType<OtherAlterAction>())
                {
                    if (action.Keywords.StartsWith("DETACH PARTITION", StringComparison.Ordinal) &&
                        StatementTokens.Within(statement, context.Script, action.Span).Any(t => StatementTokens.IsWord(context.Source, t, "CONCURRENTLY")))
                    {
                        return "DETACH PARTITION CONCURRENTLY";
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
