using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class EnumValueInTransactionRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "enum-value-in-transaction",
        "ALTER TYPE ... ADD VALUE inside a transaction before PostgreSQL 12, or used before it commits",
        Severity.Error,
        RuleCategory.Correctness,
        "Put ALTER TYPE ... ADD VALUE in a migration of its own marked `-- stepwise:no-transaction`, and use the new value only in later migrations.", SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        if (statement is not AlterTypeStatement { AddedValue: { } value } alter)
        {
            return;
        }

        var inBody = statement.Context is not null;
        if (context.NoTransaction && !context.InExplicitTransaction && !inBody)
        {
            return; // autocommit: the value is committed as soon as the statement ends
        }

        // a type created in the same transaction may take new values before 12, and use them at once before 12
        // and from 17; on 12–16 its new values are still unusable until commit
        var createdHere = CreatedInThisTransaction(alter, context);
        if (createdHere && (context.PgVersion < 12 || context.PgVersion >= 17))
        {
            return;
        }

        if (context.PgVersion < 12)
        {
            var where = inBody ? "inside a DO block" : context.InExplicitTransaction ? $"inside the transaction block opened at line {StatementTokens.OpenTransactionLine(context)}" : "in a migration that runs in a transaction";
            context.Report(statement, $"ALTER TYPE {alter.Name} ADD VALUE '{value}' {where} fails: PostgreSQL {context.PgVersion} refuses to add an enum value inside a transaction block (allowed from 12).");
            return;
        }

        if (LaterUse(statement, value, context) is { } use)
        {
            context.Report(statement, $"The new value '{value}' of enum {alter.Name} is used at line {StatementTokens.Line(context, use)} in the same transaction: PostgreSQL rejects it (\"unsafe use of new value\") until the ALTER TYPE has committed.");
        }
    }

    private static bool CreatedInThisTransaction(AlterTypeStatement alter, RuleContext context)
    {
        for (var i = context.Statements.Count - 1; i >= 0; i--)
        {
            switch (context.Statements[i])
            {
                case CreateTypeStatement create when string.Equals(create.Name.Key, alter.Name.Key, StringComparison.Ordinal):
                    return true;
                case TransactionStatement { Context: null, Operation: TransactionOperation.Commit or TransactionOperation.Rollback }:
                    return false;
                case TransactionStatement { Context: null, Operation: TransactionOperation.Begin } when context.NoTransaction:
                    return false;
            }
        }

        return false;
    }

    /// <summary>The position of the first string literal equal to the new value in a later statement of the same
    /// transaction (the rest of the file up to a COMMIT or ROLLBACK; for a DO block that runs on its own, the rest
    /// of the block). Enum definitions and other ALTER TYPE statements only name labels, they do not use them.</summary>
    private static int? LaterUse(Statement statement, string value, RuleContext context)
    {
        var script = context.Script;
        var top = statement.Context is null ? statement : script.Statements.FirstOrDefault(s => StatementTokens.BodyOf(s) is { } b && b.Span.Start <= statement.Span.Start && statement.Span.End <= b.Span.End);
        if (top is null)
        {
            return null;
        }

        if (statement.Context is not null && StatementTokens.BodyOf(top) is { } body)
        {
            var index = IndexOf(body.Statements, statement);
            for (var i = index + 1; index >= 0 && i < body.Statements.Count; i++)
            {
                if (Use(body.Statements[i], value, context) is { } position)
                {
                    return position;
                }
            }

            if (context.NoTransaction && !context.InExplicitTransaction)
            {
                return null; // the DO block was its own transaction
            }
        }

        var topIndex = IndexOf(script.Statements, top);
        for (var i = topIndex + 1; topIndex >= 0 && i < script.Statements.Count; i++)
        {
            var next = script.Statements[i];
            if (next is TransactionStatement { Operation: TransactionOperation.Commit or TransactionOperation.Rollback })
            {
                return null;
            }

            if (next is DoStatement { Body: { } doBody })
            {
                foreach (var inner in doBody.Statements)
                {
                    if (Use(inner, value, context) is { } position)
                    {
                        return position;
                    }
                }

                continue;
            }

            if (Use(next, value, context) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static int? Use(Statement statement, string value, RuleContext context)
    {
        // labels in enum definitions, ADD VALUE … BEFORE 'x', function bodies (run later) and comments on
        // objects are not uses now
        if (statement is AlterTypeStatement or CreateTypeStatement or CreateFunctionStatement || statement.Keywords.StartsWith("COMMENT", StringComparison.Ordinal))
        {
            return null;
        }

        foreach (var token in StatementTokens.Significant(statement, context.Script))
        {
            if (token.Kind == TokenKind.String && string.Equals(StatementTokens.StringValue(context.Source, token), value, StringComparison.Ordinal))
            {
                return token.Start;
            }
        }

        return null;
    }

    private static int IndexOf(IReadOnlyList<Statement> statements, Statement statement)
    {
        for (var i = 0; i < statements.Count; i++)
        {
            if (ReferenceEquals(statements[i], statement))
            {
                return i;
            }
        }

        return -1;
    }
}
