namespace Stepwise.Sql.Syntax;

internal sealed partial class StatementParser
{
    private AlterTableStatement ParseAlterTable(Cursor c)
    {
        c.Next();
        c.Next(); // ALTER TABLE
        var ifExists = c.Accept("IF", "EXISTS");
        c.Accept("ONLY");
        var table = Name(c);
        c.AcceptOperator("*");
        var actions = new List<AlterTableAction>();
        string? algorithm = null;
        string? lockMode = null;
        while (!c.AtEnd)
        {
            var startPos = c.Position;
            if (_dialect == SqlDialect.MySql && c.IsAnyWord(0, "ALGORITHM", "LOCK"))
            {
                var isAlgorithm = c.IsWord("ALGORITHM");
                c.Next();
                c.AcceptOperator("=");
                var value = c.AtEnd ? string.Empty : c.Text(c.Next()).ToUpperInvariant();
                if (isAlgorithm)
                {
                    algorithm = value;
                }
                else
                {
                    lockMode = value;
                }
            }
            else
            {
                var action = AlterAction(c);
                if (action is not null)
                {
                    actions.Add(action);
                }
            }

            c.SkipToComma();
            if (!c.Accept(TokenKind.Comma) && (c.Position == startPos || c.Is(TokenKind.CloseParen)))
            {
                if (c.Position == startPos || c.AtEnd)
                {
                    break;
                }

                c.Next();
            }
        }

        return new AlterTableStatement { Table = table, IfExists = ifExists, Actions = actions, Algorithm = algorithm, Lock = lockMode };
    }

    private AlterTableAction? AlterAction(Cursor c)
    {
        var start = c.Peek();
        TextSpan SpanToHere() => TextSpan.FromBounds(start.Start, Math.Max(start.End, c.Previous.End));

        if (c.IsWord("ADD"))
        {
            c.Next();
            if (IsTableConstraintStart(c) || (c.IsWord("UNIQUE") && _dialect != SqlDialect.MySql))
            {
                var constraint = TableConstraintClause(c);
                return constraint is null ? null : new AddConstraintAction { Constraint = constraint, Span = SpanToHere() };
            }

            c.Accept("COLUMN");
            var ifNotExists = c.Accept("IF", "NOT", "EXISTS");
            var column = ColumnDefinition(c);
            return column is null ? null : new AddColumnAction { Column = column, IfNotExists = ifNotExists, Span = SpanToHere() };
        }

        if (c.IsWord("DROP"))
        {
            c.Next();
            if (c.Accept("CONSTRAINT") || (_dialect == SqlDialect.MySql && (c.Accept("CHECK") || c.IsAnyWord(0, "INDEX", "KEY", "FOREIGN", "PRIMARY"))))
            {
                ConstraintKind? kind = null;
                if (c.Accept("PRIMARY", "KEY"))
                {
                    return new DropConstraintAction { Name = "primary", MySqlKind = ConstraintKind.PrimaryKey, Span = SpanToHere() };
                }

                if (c.Accept("FOREIGN", "KEY"))
                {
                    kind = ConstraintKind.ForeignKey;
                }
                else if (c.Accept("INDEX") || c.Accept("KEY"))
                {
                    kind = ConstraintKind.Index;
                }

                var ifExists = c.Accept("IF", "EXISTS");
                var name = Identifier(c);
                return new DropConstraintAction { Name = name, IfExists = ifExists, MySqlKind = kind, Span = SpanToHere() };
            }

            c.Accept("COLUMN");
            var columnIfExists = c.Accept("IF", "EXISTS");
            var column = Identifier(c);
            return new DropColumnAction { Column = column, IfExists = columnIfExists, Span = SpanToHere() };
        }

        if (c.IsWord("ALTER"))
        {
            c.Next();
            if (c.IsWord("CONSTRAINT") || c.IsWord("INDEX"))
            {
                return new OtherAlterAction { Keywords = "ALTER " + c.Text(c.Next()).ToUpperInvariant(), Span = SpanToHere() };
            }

            c.Accept("COLUMN");
            var column = Identifier(c);
            if (c.Accept("TYPE") || c.Accept("SET", "DATA", "TYPE"))
            {
                var type = Type(c);
                Expression? usingExpression = null;
                while (!c.AtEnd && !c.Is(TokenKind.Comma))
                {
                    if (c.Accept("USING"))
                    {
                        usingExpression = c.CollectExpression(stopAtComma: true);
                        break;
                    }

                    c.SkipGroupOrToken();
                }

                return type is null ? null : new AlterColumnTypeAction { Column = column, NewType = type, Using = usingExpression, Span = SpanToHere() };
            }

            if (c.Accept("SET", "NOT", "NULL"))
            {
                return new SetNotNullAction { Column = column, Span = SpanToHere() };
            }

            if (c.Accept("DROP", "NOT", "NULL"))
            {
                return new DropNotNullAction { Column = column, Span = SpanToHere() };
            }

            if (c.Accept("SET", "DEFAULT"))
            {
                var e = c.CollectExpression(stopAtComma: true);
                return new SetDefaultAction { Column = column, Default = e, Span = SpanToHere() };
            }

            if (c.Accept("DROP", "DEFAULT"))
            {
                return new DropDefaultAction { Column = column, Span = SpanToHere() };
            }

            var words = "ALTER COLUMN " + (c.AtEnd ? string.Empty : c.Text(c.Peek()).ToUpperInvariant());
            return new OtherAlterAction { Keywords = words.TrimEnd(), Span = SpanToHere() };
        }

        if (_dialect == SqlDialect.MySql && c.IsAnyWord(0, "MODIFY", "CHANGE"))
        {
            var isChange = c.IsWord("CHANGE");
            c.Next();
            c.Accept("COLUMN");
            string? oldName = null;
            if (isChange)
            {
                oldName = Identifier(c);
            }

            var definition = ColumnDefinition(c);
            if (definition?.Type is null)
            {
                return null;
            }

            var column = oldName ?? definition.Name;
            return new AlterColumnTypeAction
            {
                Column = column,
                NewType = definition.Type,
                Definition = definition,
                NewName = oldName is not null && !string.Equals(oldName, definition.Name, StringComparison.Ordinal) ? definition.Name : null,
                Span = SpanToHere(),
            };
        }

        if (c.IsWord("RENAME"))
        {
            c.Next();
            if (c.Accept("TO") || c.Accept("AS") || (_dialect == SqlDialect.MySql && !c.IsAnyWord(0, "COLUMN", "INDEX", "KEY", "CONSTRAINT") && !c.IsWord("TO", 1)))
            {
                return new RenameTableAction { NewName = Name(c), Span = SpanToHere() };
            }

            if (c.IsAnyWord(0, "CONSTRAINT", "INDEX", "KEY"))
            {
                return new OtherAlterAction { Keywords = "RENAME " + c.Text(c.Next()).ToUpperInvariant(), Span = SpanToHere() };
            }

            c.Accept("COLUMN");
            var column = Identifier(c);
            c.Accept("TO");
            var newName = Identifier(c);
            return new RenameColumnAction { Column = column, NewName = newName, Span = SpanToHere() };
        }

        if (c.Accept("VALIDATE", "CONSTRAINT"))
        {
            return new ValidateConstraintAction { Name = Identifier(c), Span = SpanToHere() };
        }

        var keywords = new List<string>();
        for (var k = 0; k < 3 && c.Peek(k).Kind == TokenKind.Word; k++)
        {
            keywords.Add(c.Text(c.Peek(k)).ToUpperInvariant());
        }

        c.SkipToComma();
        return new OtherAlterAction { Keywords = string.Join(' ', keywords), Span = SpanToHere() };
    }
}
