namespace Stepwise.Sql.Syntax;

internal sealed partial class StatementParser
{
    private Statement? ParseCreate(Cursor c)
    {
        c.Next(); // CREATE
        var orReplace = c.Accept("OR", "REPLACE");
        var temporary = false;
        var materialized = false;
        var unique = false;
        var fullText = false;
        while (c.IsAnyWord(0, "TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL", "UNIQUE", "FULLTEXT", "SPATIAL", "CONSTRAINT", "DEFINER", "ALGORITHM", "SQL", "AGGREGATE", "RECURSIVE", "MATERIALIZED", "ONLINE", "OFFLINE", "NONCLUSTERED", "CLUSTERED"))
        {
            var w = c.Text(c.Next()).ToUpperInvariant();
            switch (w)
            {
                case "TEMP" or "TEMPORARY":
                    temporary = true;
                    break;
                case "UNIQUE":
                    unique = true;
                    break;
                case "FULLTEXT" or "SPATIAL":
                    fullText = true;
                    break;
                case "MATERIALIZED":
                    materialized = true;
                    break;
                case "DEFINER" or "ALGORITHM":
                    // MySQL: DEFINER = user@host, ALGORITHM = MERGE (views)
                    if (c.AcceptOperator("="))
                    {
                        c.Next();
                        while (c.Is(TokenKind.Parameter) || c.IsOperator("@"))
                        {
                            c.Next();
                        }
                    }

                    break;
                case "SQL":
                    c.Accept("SECURITY");
                    c.Next();
                    break;
            }
        }

        if (c.IsWord("TABLE"))
        {
            return ParseCreateTable(c, temporary);
        }

        if (c.IsWord("INDEX"))
        {
            return ParseCreateIndex(c, unique, fullText);
        }

        if (c.IsWord("TYPE"))
        {
            c.Next();
            var name = Name(c);
            var values = new List<string>();
            var isEnum = false;
            if (c.Accept("AS", "ENUM"))
            {
                isEnum = true;
                c.Accept(TokenKind.OpenParen);
                while (c.Is(TokenKind.String))
                {
                    values.Add(StringValue(c.Next()));
                    c.Accept(TokenKind.Comma);
                }
            }

            return new CreateTypeStatement { Name = name, EnumValues = values, IsEnum = isEnum };
        }

        if (c.IsAnyWord(0, "FUNCTION", "PROCEDURE"))
        {
            return ParseCreateFunction(c);
        }

        if (c.IsWord("VIEW"))
        {
            c.Next();
            var ifNotExists = c.Accept("IF", "NOT", "EXISTS");
            var name = Name(c);
            var noData = false;
            for (var k = 0; c.Position + k + 2 < c.Count; k++)
            {
                noData |= c.IsWord("WITH", k) && c.IsWord("NO", k + 1) && c.IsWord("DATA", k + 2);
            }

            return name.Name.Length == 0 ? null : new CreateViewStatement
            {
                Name = name, Materialized = materialized, OrReplace = orReplace, IfNotExists = ifNotExists, Temporary = temporary, WithNoData = noData,
            };
        }

        if (c.IsWord("TRIGGER"))
        {
            c.Next();
            c.Accept("IF", "NOT", "EXISTS");
            Name(c);
            ObjectName? table = null;
            while (!c.AtEnd)
            {
                if (c.Accept("ON"))
                {
                    table = Name(c);
                    break;
                }

                c.Next();
            }

            return new CreateTriggerStatement { Table = table };
        }

        return null;
    }

    private CreateTableStatement ParseCreateTable(Cursor c, bool temporary)
    {
        c.Next(); // TABLE
        var ifNotExists = c.Accept("IF", "NOT", "EXISTS");
        var name = Name(c);
        var columns = new List<ColumnDefinition>();
        var constraints = new List<TableConstraint>();
        var derived = false;
        if (c.IsAnyWord(0, "AS", "PARTITION", "OF", "LIKE") || (c.Is(TokenKind.OpenParen) && c.IsWord("LIKE", 1)))
        {
            derived = true;
        }
        else if (c.Accept(TokenKind.OpenParen))
        {
            while (!c.AtEnd && !c.Is(TokenKind.CloseParen))
            {
                var startPos = c.Position;
                if (IsTableConstraintStart(c))
                {
                    var constraint = TableConstraintClause(c);
                    if (constraint is not null)
                    {
                        constraints.Add(constraint);
                    }
                }
                else if (c.IsWord("LIKE"))
                {
                    derived = true;
                }
                else
                {
                    var column = ColumnDefinition(c);
                    if (column is not null)
                    {
                        columns.Add(column);
                        AddInlineConstraints(column, constraints);
                    }
                }

                c.SkipToComma();
                if (!c.Accept(TokenKind.Comma) && c.Position == startPos)
                {
                    break;
                }
            }

            c.Accept(TokenKind.CloseParen);
            if (c.IsWord("AS"))
            {
                derived = true;
            }
        }

        return new CreateTableStatement
        {
            Table = name, IfNotExists = ifNotExists, Temporary = temporary, Columns = columns, Constraints = constraints, Derived = derived,
        };
    }

    /// <summary>Column-level PRIMARY KEY / UNIQUE / REFERENCES / CHECK become table constraints too, so
    /// the schema model has one place to look.</summary>
    private static void AddInlineConstraints(ColumnDefinition column, List<TableConstraint> constraints)
    {
        if (column.PrimaryKey)
        {
            constraints.Add(new TableConstraint { Kind = ConstraintKind.PrimaryKey, Columns = [column.Name], Span = column.Span });
        }

        if (column.Unique)
        {
            constraints.Add(new TableConstraint { Kind = ConstraintKind.Unique, Columns = [column.Name], Span = column.Span });
        }

        if (column.References is not null)
        {
            constraints.Add(new TableConstraint { Kind = ConstraintKind.ForeignKey, Columns = [column.Name], References = column.References, Span = column.Span });
        }

        if (column.Check is not null)
        {
            constraints.Add(new TableConstraint { Kind = ConstraintKind.Check, Columns = [column.Name], Check = column.Check, Span = column.Span });
        }
    }

    private bool IsTableConstraintStart(Cursor c)
    {
        if (c.IsAnyWord(0, "CONSTRAINT", "PRIMARY", "FOREIGN", "CHECK", "EXCLUDE"))
        {
            return true;
        }

        if (c.IsWord("UNIQUE"))
        {
            // `unique` could be a column name only if followed by a type; a constraint is followed by (, KEY, INDEX, a name then (, NULLS, USING
            return c.Is(TokenKind.OpenParen, 1) || c.IsAnyWord(1, "KEY", "INDEX", "NULLS", "USING") || (_dialect == SqlDialect.MySql && c.Is(TokenKind.OpenParen, 2));
        }

        if (_dialect == SqlDialect.MySql && c.IsAnyWord(0, "INDEX", "KEY", "FULLTEXT", "SPATIAL"))
        {
            return !c.Is(TokenKind.Word, 1) || c.Is(TokenKind.OpenParen, 1) || c.Is(TokenKind.OpenParen, 2) || c.IsAnyWord(1, "INDEX", "KEY");
        }

        return false;
    }

    /// <summary>Reads one table constraint ([CONSTRAINT name] PRIMARY KEY | UNIQUE | FOREIGN KEY | CHECK |
    /// EXCLUDE, MySQL INDEX/KEY/FULLTEXT), leaving the cursor after it (before a comma).</summary>
    private TableConstraint? TableConstraintClause(Cursor c)
    {
        var start = c.Peek();
        string? name = null;
        if (c.Accept("CONSTRAINT"))
        {
            if (!c.IsAnyWord(0, "PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "EXCLUDE"))
            {
                name = Identifier(c);
            }
        }

        ConstraintKind kind;
        var columns = new List<string>();
        ForeignKeyReference? references = null;
        Expression? check = null;
        string? usingIndex = null;
        if (c.Accept("PRIMARY", "KEY"))
        {
            kind = ConstraintKind.PrimaryKey;
            c.Accept("CLUSTERED");
            columns = ColumnList(c);
        }
        else if (c.Accept("UNIQUE"))
        {
            kind = ConstraintKind.Unique;
            if (!c.Accept("KEY"))
            {
                c.Accept("INDEX");
            }

            c.Accept("NULLS", "NOT", "DISTINCT");
            c.Accept("NULLS", "DISTINCT");
            if (Names.IsIdentifier(c.Peek()) && !c.IsWord("USING"))
            {
                name ??= Identifier(c);
            }

            columns = ColumnList(c);
        }
        else if (c.Accept("FOREIGN", "KEY"))
        {
            kind = ConstraintKind.ForeignKey;
            if (Names.IsIdentifier(c.Peek()))
            {
                name ??= Identifier(c);
            }

            columns = ColumnList(c);
            if (c.Accept("REFERENCES"))
            {
                var table = Name(c);
                references = new ForeignKeyReference(table, ColumnList(c));
            }
        }
        else if (c.Accept("CHECK"))
        {
            kind = ConstraintKind.Check;
            if (c.Accept(TokenKind.OpenParen))
            {
                check = c.CollectExpression(stopAtComma: false);
                c.Accept(TokenKind.CloseParen);
            }
        }
        else if (c.Accept("EXCLUDE"))
        {
            kind = ConstraintKind.Exclude;
        }
        else if (c.IsAnyWord(0, "FULLTEXT", "SPATIAL"))
        {
            kind = ConstraintKind.FullText;
            c.Next();
            if (!c.Accept("INDEX"))
            {
                c.Accept("KEY");
            }

            if (Names.IsIdentifier(c.Peek()))
            {
                name ??= Identifier(c);
            }

            columns = ColumnList(c);
        }
        else if (c.IsAnyWord(0, "INDEX", "KEY"))
        {
            kind = ConstraintKind.Index;
            c.Next();
            if (Names.IsIdentifier(c.Peek()) && !c.IsWord("USING"))
            {
                name ??= Identifier(c);
            }

            if (c.Accept("USING"))
            {
                c.Next();
            }

            columns = ColumnList(c);
        }
        else
        {
            return null;
        }

        // trailing options: USING INDEX name, NOT VALID, DEFERRABLE, ON DELETE …, ENFORCED
        var notValid = false;
        var depth = 0;
        while (!c.AtEnd)
        {
            var t = c.Peek();
            if (depth == 0 && (t.Kind == TokenKind.Comma || t.Kind == TokenKind.CloseParen))
            {
                break;
            }

            if (depth == 0 && c.IsWord("NOT") && c.IsWord("VALID", 1))
            {
                notValid = true;
                c.Position += 2;
                continue;
            }

            if (depth == 0 && c.IsWord("USING") && c.IsWord("INDEX", 1) && !c.Is(TokenKind.OpenParen, 2) && !c.IsWord("TABLESPACE", 2))
            {
                c.Position += 2;
                usingIndex = Identifier(c);
                continue;
            }

            if (t.Kind == TokenKind.OpenParen)
            {
                depth++;
            }
            else if (t.Kind == TokenKind.CloseParen)
            {
                depth--;
            }

            c.Next();
        }

        return new TableConstraint
        {
            Name = name,
            Kind = kind,
            Columns = columns,
            References = references,
            Check = check,
            NotValid = notValid,
            UsingIndex = usingIndex,
            Span = TextSpan.FromBounds(start.Start, Math.Max(start.End, c.Previous.End)),
        };
    }

    /// <summary>Reads `name type [constraints…]` up to a comma or close paren at depth 0.</summary>
    private ColumnDefinition? ColumnDefinition(Cursor c)
    {
        var nameToken = c.Peek();
        if (!Names.IsIdentifier(nameToken) && nameToken.Kind != TokenKind.String)
        {
            return null;
        }

        c.Next();
        // SQLite allows a column without a type: a constraint keyword right after the name
        var type = c.IsAnyWord(0, "NOT", "NULL", "DEFAULT", "PRIMARY", "UNIQUE", "REFERENCES", "CHECK", "CONSTRAINT", "GENERATED", "COLLATE", "AS") ? null : Type(c);
        var column = new ColumnDefinition
        {
            Name = Names.Normalize(_source, nameToken, _dialect),
            NameSpan = nameToken.Span,
            Type = type,
            Span = nameToken.Span,
        };
        if (type is not null && type.Name is "serial" or "bigserial" or "smallserial")
        {
            column.Identity = IdentityKind.Serial;
        }

        while (!c.AtEnd && !c.Is(TokenKind.Comma) && !c.Is(TokenKind.CloseParen))
        {
            if (c.Accept("NOT", "NULL"))
            {
                column.NotNull = true;
            }
            else if (c.Accept("NULL"))
            {
                column.ExplicitNull = true;
            }
            else if (c.Accept("DEFAULT"))
            {
                column.Default = c.CollectExpression(stopAtComma: true, ColumnConstraintWords);
            }
            else if (c.Accept("PRIMARY", "KEY"))
            {
                column.PrimaryKey = true;
                column.NotNull = true;
            }
            else if (c.Accept("UNIQUE"))
            {
                column.Unique = true;
                c.Accept("KEY");
            }
            else if (c.Accept("REFERENCES"))
            {
                var table = Name(c);
                column.References = new ForeignKeyReference(table, ColumnList(c));
            }
            else if (c.Accept("CHECK"))
            {
                if (c.Accept(TokenKind.OpenParen))
                {
                    column.Check = c.CollectExpression(stopAtComma: false);
                    c.Accept(TokenKind.CloseParen);
                }
            }
            else if (c.Accept("CONSTRAINT"))
            {
                c.Next();
            }
            else if (c.Accept("GENERATED"))
            {
                if (c.Accept("ALWAYS"))
                {
                    if (c.Accept("AS", "IDENTITY"))
                    {
                        column.Identity = IdentityKind.Always;
                    }
                    else if (c.Accept("AS"))
                    {
                        GeneratedColumn(c, column);
                    }
                }
                else if (c.Accept("BY", "DEFAULT", "AS"))
                {
                    c.Accept("IDENTITY");
                    column.Identity = IdentityKind.ByDefault;
                }
            }
            else if (c.IsWord("AS") && c.Is(TokenKind.OpenParen, 1))
            {
                c.Next();
                GeneratedColumn(c, column);
            }
            else if (c.Accept("AUTO_INCREMENT") || c.Accept("AUTOINCREMENT"))
            {
                column.Identity = IdentityKind.AutoIncrement;
            }
            else if (c.IsAnyWord(0, "FIRST"))
            {
                c.Next();
                column.Position = "FIRST";
            }
            else if (c.Accept("AFTER"))
            {
                column.Position = "AFTER " + Identifier(c);
            }
            else
            {
                c.SkipGroupOrToken();
            }
        }

        return new ColumnDefinition
        {
            Name = column.Name,
            NameSpan = column.NameSpan,
            Type = column.Type,
            Span = TextSpan.FromBounds(nameToken.Start, Math.Max(nameToken.End, c.Previous.End)),
            NotNull = column.NotNull,
            ExplicitNull = column.ExplicitNull,
            Default = column.Default,
            PrimaryKey = column.PrimaryKey,
            Unique = column.Unique,
            References = column.References,
            Check = column.Check,
            Identity = column.Identity,
            GeneratedStored = column.GeneratedStored,
            GeneratedVirtual = column.GeneratedVirtual,
            Position = column.Position,
        };
    }

    private static void GeneratedColumn(Cursor c, ColumnDefinition column)
    {
        Expression? expression = null;
        if (c.Accept(TokenKind.OpenParen))
        {
            expression = c.CollectExpression(stopAtComma: false);
            c.Accept(TokenKind.CloseParen);
        }

        if (c.Accept("STORED") || c.Accept("PERSISTENT"))
        {
            column.GeneratedStored = expression;
        }
        else
        {
            // PostgreSQL < 18 only has STORED; MySQL defaults to VIRTUAL
            c.Accept("VIRTUAL");
            column.GeneratedVirtual = true;
        }
    }

    private CreateIndexStatement ParseCreateIndex(Cursor c, bool unique, bool fullText)
    {
        var indexKeyword = c.Next(); // INDEX
        var concurrently = c.Accept("CONCURRENTLY");
        var ifNotExists = c.Accept("IF", "NOT", "EXISTS");
        ObjectName? name = null;
        if (!c.IsWord("ON") && Names.IsIdentifier(c.Peek()))
        {
            name = Name(c);
        }

        if (c.Accept("USING"))
        {
            c.Next(); // MySQL: CREATE INDEX i USING BTREE ON t
        }

        c.Accept("ON");
        c.Accept("ONLY");
        var table = Name(c);
        string? method = null;
        if (c.Accept("USING"))
        {
            method = c.AtEnd ? null : c.Text(c.Next()).ToLowerInvariant();
        }

        var columns = ColumnList(c);
        Expression? where = null;
        while (!c.AtEnd)
        {
            if (c.Accept("WHERE"))
            {
                where = c.CollectExpression(stopAtComma: false);
                break;
            }

            c.SkipGroupOrToken();
        }

        return new CreateIndexStatement
        {
            Name = name,
            Table = table,
            Unique = unique,
            Concurrently = concurrently,
            IfNotExists = ifNotExists,
            FullText = fullText,
            Columns = columns,
            Method = method,
            Where = where,
            IndexKeyword = indexKeyword.Span,
        };
    }

    private Statement? ParseDrop(Cursor c)
    {
        c.Next(); // DROP
        var temporary = c.Accept("TEMPORARY");
        if (c.Accept("TABLE"))
        {
            var ifExists = c.Accept("IF", "EXISTS");
            return new DropTableStatement { Tables = NameList(c), IfExists = ifExists, Temporary = temporary };
        }

        if (c.IsWord("INDEX"))
        {
            var keyword = c.Next();
            var concurrently = c.Accept("CONCURRENTLY");
            var ifExists = c.Accept("IF", "EXISTS");
            var names = NameList(c);
            ObjectName? table = null;
            if (c.Accept("ON"))
            {
                table = Name(c);
            }

            return new DropIndexStatement { Indexes = names, Concurrently = concurrently, IfExists = ifExists, Table = table, IndexKeyword = keyword.Span };
        }

        return null;
    }

    private RenameTableStatement ParseRenameTable(Cursor c)
    {
        c.Next();
        c.Next(); // RENAME TABLE(S)
        var renames = new List<(ObjectName, ObjectName)>();
        while (!c.AtEnd)
        {
            var from = Name(c);
            if (!c.Accept("TO"))
            {
                break;
            }

            var to = Name(c);
            renames.Add((from, to));
            if (!c.Accept(TokenKind.Comma))
            {
                break;
            }
        }

        return new RenameTableStatement { Renames = renames };
    }

    private ReindexStatement ParseReindex(Cursor c)
    {
        c.Next(); // REINDEX
        var concurrently = false;
        if (c.Is(TokenKind.OpenParen))
        {
            var start = c.Position;
            c.SkipGroupOrToken();
            for (var p = start; p < c.Position; p++)
            {
                var saved = c.Position;
                c.Position = p;
                concurrently |= c.IsWord("CONCURRENTLY");
                c.Position = saved;
            }
        }

        var targetToken = c.Peek();
        var target = c.AtEnd ? string.Empty : c.Text(c.Next()).ToUpperInvariant();
        concurrently |= c.Accept("CONCURRENTLY");
        ObjectName? name = c.AtEnd ? null : Name(c);
        return new ReindexStatement { Target = target, Name = name, Concurrently = concurrently, TargetKeyword = targetToken.Span };
    }

    private AlterTypeStatement ParseAlterType(Cursor c)
    {
        c.Next();
        c.Next(); // ALTER TYPE
        var name = Name(c);
        string? added = null;
        ObjectName? newName = null;
        (string, string)? renamedValue = null;
        var actionStart = c.Peek().Start;
        if (c.Accept("ADD", "VALUE"))
        {
            c.Accept("IF", "NOT", "EXISTS");
            if (c.Is(TokenKind.String))
            {
                added = StringValue(c.Next());
            }
        }
        else if (c.Accept("RENAME", "TO"))
        {
            newName = Name(c);
        }
        else if (c.Accept("RENAME", "VALUE") && c.Is(TokenKind.String))
        {
            var from = StringValue(c.Next());
            if (c.Accept("TO") && c.Is(TokenKind.String))
            {
                renamedValue = (from, StringValue(c.Next()));
            }
        }

        var actionSpan = TextSpan.FromBounds(Math.Min(actionStart, c.Previous.End), Math.Max(actionStart, c.Previous.End));
        return new AlterTypeStatement { Name = name, AddedValue = added, NewName = newName?.Name.Length > 0 ? newName : null, RenamedValue = renamedValue, ActionSpan = actionSpan };
    }

    private string StringValue(Token token)
    {
        var text = _source.ToString(token.Span);
        var q = text.IndexOf('\'', StringComparison.Ordinal);
        if (q < 0 || text.Length < q + 2)
        {
            return text;
        }

        return text.Substring(q + 1, text.Length - q - 2).Replace("''", "'", StringComparison.Ordinal);
    }
}
