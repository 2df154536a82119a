using System.Text;
using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class AddingUniqueConstraintRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "adding-unique-constraint",
        "Adding a UNIQUE or PRIMARY KEY constraint that builds its index under ACCESS EXCLUSIVE",
        Severity.Error,
        RuleCategory.Locking,
        "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE (or PRIMARY KEY) USING INDEX.", SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        if (statement is not AlterTableStatement alter || !context.IsExistingTable(alter.Table))
        {
            return;
        }

        foreach (var action in alter.Actions)
        {
            switch (action)
            {
                case AddConstraintAction { Constraint: { Kind: ConstraintKind.Unique or ConstraintKind.PrimaryKey, UsingIndex: null } constraint } add:
                    {
                        var kind = constraint.Kind == ConstraintKind.PrimaryKey ? "PRIMARY KEY" : "UNIQUE";
                        var columns = constraint.Columns.Count == 0 ? string.Empty : $" ({string.Join(", ", constraint.Columns)})";
                        context.Report(add.Span, $"Adding {kind}{columns} to existing table {alter.Table} builds its unique index while holding an ACCESS EXCLUSIVE lock: no reads or writes until the build finishes.",
                            MakeFix(alter, add, constraint, kind, context));
                        break;
                    }

                case AddColumnAction { Column: { } column } add when column.PrimaryKey || column.Unique:
                    context.Report(add.Span, $"Adding column {column.Name} with {(column.PrimaryKey ? "PRIMARY KEY" : "UNIQUE")} to existing table {alter.Table} builds a unique index over every row while holding an ACCESS EXCLUSIVE lock. Add the column first, then CREATE UNIQUE INDEX CONCURRENTLY and ADD CONSTRAINT ... USING INDEX.");
                    break;
            }
        }
    }

    /// <summary>Splits `ADD [CONSTRAINT n] UNIQUE (cols)` into a concurrent build and a constraint that adopts the
    /// index, when that is mechanical: the only action, a plain column list, no options, a name known.</summary>
    private static Fix? MakeFix(AlterTableStatement alter, AddConstraintAction add, TableConstraint constraint, string kind, RuleContext context)
    {
        // ALTER TABLE IF EXISTS would turn into a CREATE INDEX that fails when the table is missing
        if (alter.Actions.Count != 1 || alter.Context is not null || alter.IfExists)
        {
            return null;
        }

        var source = context.Source;
        var tokens = StatementTokens.Within(alter, context.Script, constraint.Span);
        var i = 0;
        string? nameText = null;
        if (i < tokens.Count && StatementTokens.IsWord(source, tokens[i], "CONSTRAINT"))
        {
            if (i + 1 >= tokens.Count || tokens[i + 1].Kind is not (TokenKind.Word or TokenKind.QuotedIdentifier))
            {
                return null;
            }

            nameText = source.ToString(tokens[i + 1].Span);
            i += 2;
        }

        // exactly UNIQUE ( … ) or PRIMARY KEY ( … ): NULLS NOT DISTINCT, INCLUDE, WITH, DEFERRABLE … are left to a person
        if (kind == "UNIQUE" && i < tokens.Count && StatementTokens.IsWord(source, tokens[i], "UNIQUE"))
        {
            i++;
        }
        else if (kind == "PRIMARY KEY" && i + 1 < tokens.Count && StatementTokens.IsWord(source, tokens[i], "PRIMARY") && StatementTokens.IsWord(source, tokens[i + 1], "KEY"))
        {
            i += 2;
        }
        else
        {
            return null;
        }

        if (i >= tokens.Count || tokens[i].Kind != TokenKind.OpenParen || tokens[^1].Kind != TokenKind.CloseParen)
        {
            return null;
        }

        for (var k = i + 1; k < tokens.Count - 1; k++)
        {
            var expected = (k - i) % 2 == 1 ? tokens[k].Kind is TokenKind.Word or TokenKind.QuotedIdentifier : tokens[k].Kind == TokenKind.Comma;
            if (!expected)
            {
                return null;
            }
        }

        if (tokens.Count - 1 - i < 2 || (tokens.Count - i) % 2 != 1)
        {
            return null;
        }

        nameText ??= DefaultName(alter, constraint, context);
        if (nameText is null)
        {
            return null;
        }

        var columnsText = source.ToString(TextSpan.FromBounds(tokens[i].Start, tokens[^1].End));
        var tableText = source.ToString(alter.Table.Span);
        var create = new StringBuilder()
            .Append("CREATE UNIQUE INDEX CONCURRENTLY ").Append(nameText).Append(" ON ").Append(tableText).Append(' ').Append(columnsText).Append(";\n")
            .Append(Indentation(source, alter.Span.Start))
            .ToString();
        return new Fix("Build the index CONCURRENTLY, then add the constraint USING INDEX",
        [
            new TextEdit(new TextSpan(alter.Span.Start, 0), create),
            new TextEdit(add.Span, $"ADD CONSTRAINT {nameText} {kind} USING INDEX {nameText}"),
        ]);
    }

    /// <summary>The name PostgreSQL would give the constraint (table_col_key, table_pkey), when it needs no
    /// quoting, no truncation, and no index of that name exists.</summary>
    private static string? DefaultName(AlterTableStatement alter, TableConstraint constraint, RuleContext context)
    {
        var name = constraint.Kind == ConstraintKind.PrimaryKey
            ? alter.Table.Name + "_pkey"
            : alter.Table.Name + "_" + string.Join('_', constraint.Columns) + "_key";
        if (!StatementTokens.IsPlainName(name) || !constraint.Columns.All(StatementTokens.IsPlainName))
        {
            return null;
        }

        var key = alter.Table.Schema is null or "public" ? name : alter.Table.Schema + "." + name;
        return context.Schema.Indexes.ContainsKey(key) ? null : name;
    }

    private static string Indentation(SourceText source, int position)
    {
        var start = position;
        while (start > 0 && source.Text[start - 1] is ' ' or '\t')
        {
            start--;
        }

        return start == 0 || source.Text[start - 1] is '\n' or '\r' ? source.Text[start..position] : string.Empty;
    }
}
