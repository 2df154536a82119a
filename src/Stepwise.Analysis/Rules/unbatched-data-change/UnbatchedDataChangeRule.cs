using Stepwise.Analysis.Facts;
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
        "Make the migration a backfill (first line `-- stepwise:backfill`: `up` runs its one UPDATE in keyset batches, one commit each, resumable), use `stepwise backfill`, or a loop that commits per bounded batch.");

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        var (verb, table, where, hasLimit) = statement switch
        {
            UpdateStatement update => ("UPDATE", update.Table, update.Where, update.HasLimit),
            DeleteStatement delete => ("DELETE", delete.Table, delete.Where, delete.HasLimit),
            _ => (null, null, null, false),
        };

        // function bodies run when called, not during the migration; a `-- stepwise:backfill` file runs its UPDATE in keyset batches
        if (verb is null || BackfillDirective.IsPresent(context.Source.Text) || table is null || statement.Context is { Executes: false } || !DataChanges.IsLiveTable(context, table))
        {
            return;
        }

        var tokens = DataChanges.TokensOf(context.Script, statement);
        var bounded = DataChanges.IsBounded(where, hasLimit, context.Schema.Table(table)) ||
            DataChanges.HasBoundedCte(context.Source, tokens, statement.FirstToken, statement.EndToken);
        var scope = where is null
            ? $"{verb} without WHERE changes every row of {table}"
            : $"{verb} on {table} filters with WHERE but does not bound a batch (no key range, no LIMIT subquery), so it changes every matching row";
        if (statement.Context is not { } body)
        {
            if (!bounded)
            {
                var cost = context.Dialect switch
                {
                    SqlDialect.MySql => "every touched row stays locked until it commits, and replicas replay it as one huge transaction and fall behind",
                    SqlDialect.Sqlite => "the database stays write-locked until it commits, so every other writer waits",
                    _ => "every touched row stays locked until it commits, and the table bloats with dead rows",
                };
                context.Report(statement, $"{scope} in one transaction: {cost}.", BackfillFix(statement, context));
            }

            return;
        }

        if (!bounded)
        {
            context.Report(statement, body.LoopDepth > 0
                ? $"{scope} on every pass of the DO block's loop: nothing limits a pass to one batch."
                : $"{scope} inside a DO block in one transaction: the block runs it once, not in batches.");
        }
        else if (body.LoopDepth > 0 && !body.BodyCommits)
        {
            context.Report(statement,
                $"{verb} on {table} is batched inside a loop, but the DO block never COMMITs: every batch runs in one transaction, so row locks pile up until the whole loop ends. COMMIT after each batch (PostgreSQL 11+, outside a transaction block).");
        }
    }

    /// <summary>When the file is just this UPDATE and would be a valid backfill file, the fix that makes it one.</summary>
    private static Fix? BackfillFix(Statement statement, RuleContext context)
    {
        if (statement is not UpdateStatement || context.Script.Statements.Count(st => st.Span.Length > 0) != 1)
        {
            return null;
        }

        const string Line = BackfillDirective.Prefix + "\n";
        var candidate = ParsedScript.Parse(new SourceText(Line + context.Source.Text, context.Source.Path), context.Dialect);
        var file = BackfillDirective.Read(candidate, out var problem);
        return file is null || problem is not null || BackfillDirective.SchemaProblem(file, context.Schema, context.Dialect) is not null
            ? null
            : new Fix("Run it as a batched, resumable backfill: add `-- stepwise:backfill` as the first line", [new TextEdit(new TextSpan(0, 0), Line)]);
    }
}
