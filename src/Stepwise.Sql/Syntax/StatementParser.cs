using Stepwise.Sql.Lexing;

namespace Stepwise.Sql.Syntax;

/// <summary>Builds the typed model of one statement from its tokens. Anything it does not model, or cannot
/// follow, becomes an <see cref="OpaqueStatement"/> with the exact span: the parser never throws.</summary>
internal sealed partial class StatementParser
{
    private static readonly string[] ColumnConstraintWords =
    [
        "NOT", "NULL", "DEFAULT", "PRIMARY", "UNIQUE", "REFERENCES", "CHECK", "CONSTRAINT", "GENERATED", "COLLATE",
        "COMMENT", "AUTO_INCREMENT", "AUTOINCREMENT", "FIRST", "AFTER", "AS", "STORED", "VIRTUAL", "ON", "DEFERRABLE",
        "INITIALLY", "CHARACTER", "CHARSET", "UNSIGNED", "ZEROFILL", "INVISIBLE", "VISIBLE", "COLUMN_FORMAT", "STORAGE",
        "COMPRESSION", "IDENTITY", "USING", "SERIAL",
    ];

    private readonly SourceText _source;
    private readonly Token[] _tokens;
    private readonly SqlDialect _dialect;
    private readonly List<ParseIssue> _issues;
    private bool _inBody;

    public StatementParser(SourceText source, Token[] tokens, SqlDialect dialect, List<ParseIssue> issues)
    {
        _source = source;
        _tokens = tokens;
        _dialect = dialect;
        _issues = issues;
    }

    public Statement Parse(TextSpan span, int first, int end, int leading, BodyContext? body)
    {
        _inBody = body is not null;
        var c = new Cursor(_source, _tokens, first, end);
        var info = new Info(span, first, end, leading, body, Keywords(c));
        try
        {
            SkipWithClause(c);
            var statement = ParseCore(c);
            return statement is null ? Opaque(info) : Stamp(statement, info);
        }
        catch (Exception ex) when (ex is IndexOutOfRangeException or ArgumentException or InvalidOperationException)
        {
            // A parser bug must never cost the user a lint run: keep the statement as opaque.
            return Opaque(info);
        }
    }

    private readonly record struct Info(TextSpan Span, int First, int End, int Leading, BodyContext? Body, string Keywords);

    private static OpaqueStatement Opaque(Info i) => Stamp(new OpaqueStatement(), i);

    private static T Stamp<T>(T statement, Info i)
        where T : Statement
    {
        statement.Span = i.Span;
        statement.FirstToken = i.First;
        statement.EndToken = i.End;
        statement.LeadingToken = i.Leading;
        statement.Context = i.Body;
        statement.Keywords = i.Keywords;
        return statement;
    }

    private static string Keywords(Cursor c)
    {
        var words = new List<string>(3);
        for (var i = 0; i < 3 && c.Peek(i).Kind == TokenKind.Word; i++)
        {
            words.Add(c.Text(c.Peek(i)).ToUpperInvariant());
        }

        return string.Join(' ', words);
    }

    private static void SkipWithClause(Cursor c)
    {
        if (!c.IsWord("WITH"))
        {
            return;
        }

        c.Next();
        c.Accept("RECURSIVE");
        while (!c.AtEnd)
        {
            c.Next(); // cte name
            if (c.Is(TokenKind.OpenParen))
            {
                c.SkipGroupOrToken();
            }

            if (!c.Accept("AS"))
            {
                return;
            }

            c.Accept("NOT");
            c.Accept("MATERIALIZED");
            c.SkipGroupOrToken();
            if (!c.Accept(TokenKind.Comma))
            {
                return;
            }
        }
    }

    private Statement? ParseCore(Cursor c)
    {
        if (c.AtEnd || c.Peek().Kind != TokenKind.Word)
        {
            return null;
        }

        if (c.IsWord("CREATE"))
        {
            return ParseCreate(c);
        }

        if (c.IsWord("ALTER"))
        {
            if (c.IsWord("TABLE", 1))
            {
                return ParseAlterTable(c);
            }

            if (c.IsWord("TYPE", 1))
            {
                return ParseAlterType(c);
            }

            return null;
        }

        if (c.IsWord("DROP"))
        {
            return ParseDrop(c);
        }

        if (c.IsWord("RENAME") && c.IsAnyWord(1, "TABLE", "TABLES"))
        {
            return ParseRenameTable(c);
        }

        if (c.IsWord("UPDATE"))
        {
            return ParseUpdate(c);
        }

        if (c.IsWord("DELETE"))
        {
            return ParseDelete(c);
        }

        if (c.IsAnyWord(0, "INSERT", "REPLACE"))
        {
            return ParseInsert(c);
        }

        if (c.IsWord("TRUNCATE"))
        {
            c.Next();
            c.Accept("TABLE");
            c.Accept("ONLY");
            return new TruncateStatement
            {
                Tables = NameList(c),
            };
        }

        if (c.IsWord("DO") && _dialect == SqlDialect.PostgreSql)
        {
            return ParseDo(c);
        }

        if (c.IsAnyWord(0, "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "ABORT"))
        {
            return ParseTransaction(c);
        }

        if (c.IsWord("SET"))
        {
            return ParseSet(c);
        }

        if (c.IsWord("VACUUM"))
        {
            return ParseVacuum(c);
        }

        if (c.IsWord("CLUSTER"))
        {
            c.Next();
            c.Accept("VERBOSE");
            ObjectName? table = c.AtEnd ? null : Name(c);
            return new ClusterStatement
            { Table = table,
            };
        }

        if (c.IsWord("LOCK"))
        {
            c.Next();
            if (!c.Accept("TABLE"))
            {
                c.Accept("TABLES");
            }

            c.Accept("ONLY");
            var tables = NameList(c);
            string? mode = null;
            if (c.Accept("IN"))
            {
                var words = new List<string>();
                while (!c.AtEnd && !c.IsWord("MODE"))
                {
                    words.Add(c.Text(c.Next()).ToUpperInvariant());
                }

                mode = string.Join(' ', words);
            }
            else if (_dialect == SqlDialect.MySql && !c.AtEnd)
            {
                mode = c.Text(c.Next()).ToUpperInvariant();
            }

            return new LockTableStatement
            {
                Tables = tables, Mode = mode,
            };
        }

        if (c.IsWord("REINDEX"))
        {
            return ParseReindex(c);
        }

        if (c.IsWord("CALL"))
        {
            return new CallStatement();
        }

        if (c.IsWord("REFRESH") && c.IsWord("MATERIALIZED", 1) && c.IsWord("VIEW", 2))
        {
            c.Position += 2;
            var view = c.Next();
            var concurrently = c.Accept("CONCURRENTLY");
            var name = Name(c);
            return name.Name.Length == 0 ? null : new RefreshMaterializedViewStatement { Name = name, Concurrently = concurrently, ViewKeyword = view.Span };
        }

        if (c.IsWord("SELECT") && _dialect == SqlDialect.PostgreSql && !_inBody)
        {
            return ParseSelectInto(c);
        }

        return null;
    }

    /// <summary>PostgreSQL `SELECT … INTO [TEMP|UNLOGGED] [TABLE] name FROM …` creates a table (as CREATE TABLE
    /// AS does); any other SELECT is opaque. Inside a PL/pgSQL body SELECT INTO sets variables, so bodies
    /// never get here.</summary>
    private CreateTableStatement? ParseSelectInto(Cursor c)
    {
        c.Next(); // SELECT
        var depth = 0;
        while (!c.AtEnd)
        {
            if (c.Is(TokenKind.OpenParen))
            {
                depth++;
            }
            else if (c.Is(TokenKind.CloseParen))
            {
                depth--;
            }
            else if (depth == 0 && c.IsAnyWord(0, "FROM", "UNION", "WHERE"))
            {
                return null;
            }
            else if (depth == 0 && c.IsWord("INTO"))
            {
                c.Next();
                var temporary = false;
                while (c.IsAnyWord(0, "TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL"))
                {
                    temporary |= c.IsAnyWord(0, "TEMP", "TEMPORARY");
                    c.Next();
                }

                c.Accept("TABLE");
                var name = Name(c);
                return name.Name.Length == 0 ? null : new CreateTableStatement { Table = name, Temporary = temporary, Derived = true };
            }

            c.Next();
        }

        return null;
    }

    // ---- names -------------------------------------------------------------------------------------

    /// <summary>Reads `a`, `a.b` or `a.b.c` (keeps the last two parts).</summary>
    private ObjectName Name(Cursor c)
    {
        var first = c.Peek();
        if (!Names.IsIdentifier(first) && first.Kind != TokenKind.String)
        {
            return new ObjectName(null, string.Empty, first.Span);
        }

        c.Next();
        var parts = new List<string> { Names.Normalize(_source, first, _dialect) };
        var last = first;
        while (c.Is(TokenKind.Dot) && Names.IsIdentifier(c.Peek(1)))
        {
            c.Next();
            last = c.Next();
            parts.Add(Names.Normalize(_source, last, _dialect));
        }

        var span = TextSpan.FromBounds(first.Start, last.End);
        return parts.Count == 1 ? new ObjectName(null, parts[0], span) : new ObjectName(parts[^2], parts[^1], span);
    }

    private string Identifier(Cursor c) => Names.IsIdentifier(c.Peek()) || c.Is(TokenKind.String) ? Names.Normalize(_source, c.Next(), _dialect) : string.Empty;

    private List<ObjectName> NameList(Cursor c)
    {
        var list = new List<ObjectName>();
        while (!c.AtEnd && Names.IsIdentifier(c.Peek()))
        {
            list.Add(Name(c));
            c.AcceptOperator("*");
            if (!c.Accept(TokenKind.Comma))
            {
                break;
            }

            c.Accept("ONLY");
        }

        return list;
    }

    /// <summary>Reads `(a, b, lower(c))`: plain column names, or an expression's text.</summary>
    private List<string> ColumnList(Cursor c)
    {
        var list = new List<string>();
        if (!c.Accept(TokenKind.OpenParen))
        {
            return list;
        }

        while (!c.AtEnd && !c.Is(TokenKind.CloseParen))
        {
            var startPos = c.Position;
            var e = c.CollectExpression(stopAtComma: true);
            if (e.Tokens.Count >= 1 && Names.IsIdentifier(e.Tokens[0]) && !(e.Tokens.Count > 1 && e.Tokens[1].Kind == TokenKind.OpenParen))
            {
                // `col`, `col DESC`, `col text_pattern_ops`, MySQL `col(10)` prefix: the column is the first word
                list.Add(Names.Normalize(_source, e.Tokens[0], _dialect));
            }
            else if (e.Tokens.Count > 0)
            {
                list.Add(e.Text);
            }

            if (c.Position == startPos)
            {
                c.Next();
            }

            c.Accept(TokenKind.Comma);
        }

        c.Accept(TokenKind.CloseParen);
        return list;
    }

    // ---- types -------------------------------------------------------------------------------------

    private DataType? Type(Cursor c)
    {
        var start = c.Peek();
        if (!Names.IsIdentifier(start))
        {
            return null;
        }

        var words = new List<string>();
        var endToken = start;
        // a qualified type (public.my_enum) keeps its last part
        var first = c.Next();
        words.Add(Names.Normalize(_source, first, _dialect));
        while (c.Is(TokenKind.Dot) && Names.IsIdentifier(c.Peek(1)))
        {
            c.Next();
            endToken = c.Next();
            words[0] = Names.Normalize(_source, endToken, _dialect);
        }

        endToken = first.End > endToken.End ? first : endToken;
        var args = new List<string>();
        if (words[0] is "double" && c.IsWord("PRECISION"))
        {
            words.Add("precision");
            endToken = c.Next();
        }
        else if (words[0] is "character" or "char" or "national" or "bit")
        {
            if (words[0] == "national" && c.IsAnyWord(0, "CHARACTER", "CHAR"))
            {
                words.Add(c.Text(c.Next()).ToLowerInvariant());
            }

            if (c.IsWord("VARYING"))
            {
                words.Add("varying");
                endToken = c.Next();
            }
        }

        if (c.Is(TokenKind.OpenParen))
        {
            c.Next();
            while (!c.AtEnd && !c.Is(TokenKind.CloseParen))
            {
                var e = c.CollectExpression(stopAtComma: true);
                args.Add(e.Text);
                if (!c.Accept(TokenKind.Comma))
                {
                    break;
                }
            }

            endToken = c.Peek();
            c.Accept(TokenKind.CloseParen);
        }

        if (words[0] is "timestamp" or "time")
        {
            if (c.IsWord("WITH") && c.IsWord("TIME", 1) && c.IsWord("ZONE", 2))
            {
                words.Add("with time zone");
                c.Position += 2;
                endToken = c.Next();
            }
            else if (c.IsWord("WITHOUT") && c.IsWord("TIME", 1) && c.IsWord("ZONE", 2))
            {
                words.Add("without time zone");
                c.Position += 2;
                endToken = c.Next();
            }
        }

        if (words[0] == "interval")
        {
            while (c.IsAnyWord(0, "YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "TO"))
            {
                endToken = c.Next();
            }
        }

        var isArray = false;
        while (c.Is(TokenKind.OpenBracket))
        {
            c.Next();
            if (c.Is(TokenKind.Number))
            {
                c.Next();
            }

            endToken = c.Peek();
            c.Accept(TokenKind.CloseBracket);
            isArray = true;
        }

        if (c.IsWord("ARRAY"))
        {
            endToken = c.Next();
            isArray = true;
        }

        if (_dialect == SqlDialect.MySql)
        {
            while (c.IsAnyWord(0, "UNSIGNED", "SIGNED", "ZEROFILL"))
            {
                words.Add(c.Text(c.Next()).ToLowerInvariant());
            }
        }

        var name = Names.TypeName(Names.JoinWords(words));
        var span = TextSpan.FromBounds(start.Start, Math.Max(start.End, Math.Max(endToken.End, c.Previous.End)));
        return new DataType(name, args, isArray, span, _source.ToString(span));
    }
}
