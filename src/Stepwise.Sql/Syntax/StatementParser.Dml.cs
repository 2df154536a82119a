using Stepwise.Sql.Lexing;

namespace Stepwise.Sql.Syntax;

internal sealed partial class StatementParser
{
    private static readonly string[] UpdateClauseWords = ["FROM", "WHERE", "RETURNING", "ORDER", "LIMIT"];

    private UpdateStatement ParseUpdate(Cursor c)
    {
        c.Next(); // UPDATE
        while (c.IsAnyWord(0, "LOW_PRIORITY", "IGNORE", "ONLY", "OR"))
        {
            if (c.Accept("OR"))
            {
                c.Next(); // SQLite UPDATE OR REPLACE
                continue;
            }

            c.Next();
        }

        var table = Name(c);
        c.AcceptOperator("*");
        var alias = Alias(c, "SET");
        // MySQL multi-table UPDATE a JOIN b ON … SET …
        while (!c.AtEnd && !c.IsWord("SET"))
        {
            c.SkipGroupOrToken();
        }

        c.Accept("SET");
        var setColumns = new List<string>();
        var set = c.CollectExpression(stopAtComma: false, UpdateClauseWords);
        for (var k = 0; k < set.Tokens.Count; k++)
        {
            // a column is an identifier followed by '=' (or `t.col =`) at the start of each assignment
            var isStart = k == 0 || set.Tokens[k - 1].Kind == TokenKind.Comma;
            if (isStart && Names.IsIdentifier(set.Tokens[k]))
            {
                var nameToken = set.Tokens[k];
                if (k + 2 < set.Tokens.Count && set.Tokens[k + 1].Kind == TokenKind.Dot)
                {
                    nameToken = set.Tokens[k + 2];
                }

                setColumns.Add(Names.Normalize(_source, nameToken, _dialect));
            }
        }

        var hasFrom = false;
        Expression? where = null;
        var hasLimit = false;
        while (!c.AtEnd)
        {
            if (c.Accept("FROM"))
            {
                hasFrom = true;
                continue;
            }

            if (c.Accept("WHERE"))
            {
                where = c.CollectExpression(stopAtComma: false, "RETURNING", "ORDER", "LIMIT");
                continue;
            }

            if (c.Accept("LIMIT"))
            {
                hasLimit = true;
                continue;
            }

            c.SkipGroupOrToken();
        }

        return new UpdateStatement { Table = table, Alias = alias, SetColumns = setColumns, Set = set, Where = where, HasLimit = hasLimit, HasFrom = hasFrom };
    }

    private string? Alias(Cursor c, string next)
    {
        if (c.Accept("AS"))
        {
            return Identifier(c);
        }

        if (Names.IsIdentifier(c.Peek()) && !c.IsWord(next) && !c.IsAnyWord(0, "WHERE", "USING", "SET", "JOIN", "INNER", "LEFT", "ORDER", "LIMIT", "RETURNING"))
        {
            return Identifier(c);
        }

        return null;
    }

    private DeleteStatement ParseDelete(Cursor c)
    {
        c.Next(); // DELETE
        while (c.IsAnyWord(0, "LOW_PRIORITY", "QUICK", "IGNORE"))
        {
            c.Next();
        }

        c.Accept("FROM");
        c.Accept("ONLY");
        var table = Name(c);
        c.AcceptOperator("*");
        var alias = Alias(c, "WHERE");
        Expression? where = null;
        var hasLimit = false;
        while (!c.AtEnd)
        {
            if (c.Accept("WHERE"))
            {
                where = c.CollectExpression(stopAtComma: false, "RETURNING", "ORDER", "LIMIT");
                continue;
            }

            if (c.Accept("LIMIT"))
            {
                hasLimit = true;
                continue;
            }

            c.SkipGroupOrToken();
        }

        return new DeleteStatement { Table = table, Alias = alias, Where = where, HasLimit = hasLimit };
    }

    private InsertStatement ParseInsert(Cursor c)
    {
        c.Next(); // INSERT / REPLACE
        while (c.IsAnyWord(0, "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "OR"))
        {
            if (c.Accept("OR"))
            {
                c.Next();
                continue;
            }

            c.Next();
        }

        c.Accept("INTO");
        var table = Name(c);
        var fromSelect = false;
        while (!c.AtEnd)
        {
            if (c.IsAnyWord(0, "VALUES", "VALUE", "DEFAULT"))
            {
                break;
            }

            if (c.IsAnyWord(0, "SELECT", "WITH", "TABLE"))
            {
                fromSelect = true;
                break;
            }

            if (c.Is(TokenKind.OpenParen) && c.IsAnyWord(1, "SELECT", "WITH"))
            {
                fromSelect = true;
                break;
            }

            c.SkipGroupOrToken();
        }

        return new InsertStatement { Table = table, FromSelect = fromSelect };
    }

    private TransactionStatement? ParseTransaction(Cursor c)
    {
        var word = c.Text(c.Next()).ToUpperInvariant();
        switch (word)
        {
            case "BEGIN":
                // SQLite BEGIN DEFERRED/IMMEDIATE/EXCLUSIVE; PostgreSQL BEGIN [WORK|TRANSACTION] [modes]
                return new TransactionStatement { Operation = TransactionOperation.Begin };
            case "START":
                return c.IsWord("TRANSACTION") ? new TransactionStatement { Operation = TransactionOperation.Begin } : null;
            case "COMMIT" or "END":
                if (c.IsWord("PREPARED"))
                {
                    return new TransactionStatement { Operation = TransactionOperation.Other };
                }

                return new TransactionStatement { Operation = TransactionOperation.Commit };
            case "ROLLBACK" or "ABORT":
                c.Accept("WORK");
                c.Accept("TRANSACTION");
                if (c.IsWord("TO"))
                {
                    return new TransactionStatement { Operation = TransactionOperation.RollbackToSavepoint };
                }

                return c.IsWord("PREPARED") ? new TransactionStatement { Operation = TransactionOperation.Other } : new TransactionStatement { Operation = TransactionOperation.Rollback };
            case "SAVEPOINT":
                return new TransactionStatement { Operation = TransactionOperation.Savepoint };
            case "RELEASE":
                return new TransactionStatement { Operation = TransactionOperation.Release };
            default:
                return null;
        }
    }

    private SetStatement? ParseSet(Cursor c)
    {
        c.Next(); // SET
        var local = false;
        if (c.Accept("LOCAL"))
        {
            local = true;
        }
        else
        {
            while (c.IsAnyWord(0, "SESSION", "GLOBAL", "PERSIST", "PERSIST_ONLY"))
            {
                c.Next();
            }
        }

        if (c.IsWord("TRANSACTION") || c.IsWord("CONSTRAINTS"))
        {
            return null;
        }

        var nameTokens = new List<string>();
        while (!c.AtEnd && !c.IsOperator("=") && !c.IsWord("TO") && !c.Is(TokenKind.Comma) && !c.Is(TokenKind.String) && !c.Is(TokenKind.Number))
        {
            var t = c.Next();
            var text = c.Text(t).TrimStart('@');
            if (text.StartsWith("global.", StringComparison.OrdinalIgnoreCase) || text.StartsWith("session.", StringComparison.OrdinalIgnoreCase))
            {
                text = text[(text.IndexOf('.', StringComparison.Ordinal) + 1)..];
            }

            if (t.Kind != TokenKind.Dot && !string.Equals(text, "session", StringComparison.OrdinalIgnoreCase))
            {
                nameTokens.Add(text);
            }
        }

        if (!c.AcceptOperator("="))
        {
            c.Accept("TO");
        }

        var value = c.CollectExpression(stopAtComma: true).Text.Trim('\'');
        return new SetStatement { Name = string.Concat(nameTokens).ToLowerInvariant(), Value = value, Local = local };
    }

    private VacuumStatement ParseVacuum(Cursor c)
    {
        c.Next(); // VACUUM
        var full = false;
        if (c.Is(TokenKind.OpenParen))
        {
            c.Next();
            while (!c.AtEnd && !c.Is(TokenKind.CloseParen))
            {
                if (c.IsWord("FULL"))
                {
                    // VACUUM (FULL) or (FULL true); (FULL false) is not full
                    full = !(c.IsAnyWord(1, "FALSE", "OFF") || (c.Peek(1).Kind == TokenKind.Number && c.Text(c.Peek(1)) == "0"));
                }

                c.Next();
            }

            c.Accept(TokenKind.CloseParen);
        }

        while (c.IsAnyWord(0, "FULL", "FREEZE", "VERBOSE", "ANALYZE", "ANALYSE"))
        {
            full |= c.IsWord("FULL");
            c.Next();
        }

        var tables = NameList(c);
        return new VacuumStatement { Full = full, Tables = tables };
    }

    // ---- procedural bodies -------------------------------------------------------------------------

    private DoStatement ParseDo(Cursor c)
    {
        c.Next(); // DO
        var language = "plpgsql";
        ProceduralBody? body = null;
        while (!c.AtEnd)
        {
            if (c.Accept("LANGUAGE"))
            {
                language = c.AtEnd ? language : Names.Normalize(_source, c.Next(), _dialect);
                continue;
            }

            var t = c.Next();
            if (t.Kind == TokenKind.DollarString)
            {
                body = Body(t, StatementKind.Do);
            }
        }

        if (!string.Equals(language, "plpgsql", StringComparison.Ordinal))
        {
            body = null;
        }

        return new DoStatement { Language = language, Body = body };
    }

    private CreateFunctionStatement ParseCreateFunction(Cursor c)
    {
        var isProcedure = c.IsWord("PROCEDURE");
        c.Next();
        var name = Name(c);
        string? language = null;
        Token? bodyToken = null;
        while (!c.AtEnd)
        {
            if (c.Accept("LANGUAGE"))
            {
                language = c.AtEnd ? null : Names.Normalize(_source, c.Next(), _dialect);
                continue;
            }

            var t = c.Next();
            if (t.Kind == TokenKind.DollarString && bodyToken is null)
            {
                bodyToken = t;
            }
        }

        ProceduralBody? body = null;
        if (bodyToken is { } bt && (language is null or "plpgsql" or "sql"))
        {
            body = Body(bt, StatementKind.CreateFunction);
        }

        return new CreateFunctionStatement { Name = name, IsProcedure = isProcedure, Language = language, Body = body };
    }

    /// <summary>Lexes and splits the inside of a dollar-quoted body, skips PL/pgSQL control words (DECLARE,
    /// BEGIN, LOOP, IF … THEN …) and parses the SQL statements in it, tracking loop depth.</summary>
    private ProceduralBody? Body(Token dollar, StatementKind owner)
    {
        var text = _source.Slice(dollar.Span);
        var tagEnd = text[1..].IndexOf('$');
        if (tagEnd < 0)
        {
            return null;
        }

        var openLength = tagEnd + 2;
        var closeLength = dollar.IsUnterminated ? 0 : openLength;
        var innerStart = dollar.Start + openLength;
        var innerLength = Math.Max(0, dollar.Length - openLength - closeLength);
        var inner = _source.Text.Substring(innerStart, innerLength);
        var split = StatementSplitter.Split(inner, SqlDialect.PostgreSql);
        var tokens = new Token[split.Tokens.Length];
        for (var k = 0; k < tokens.Length; k++)
        {
            var t = split.Tokens[k];
            tokens[k] = t with { Start = t.Start + innerStart };
        }

        var pieces = new List<(int First, int End, int Leading, int LoopDepth)>();
        var loopDepth = 0;
        var hasLoop = false;
        var hasCommit = false;
        var hasDynamic = false;
        var inDeclare = false;
        var leading = 0;
        foreach (var raw in split.Statements)
        {
            var c = new Cursor(_source, tokens, raw.FirstToken, raw.EndToken);
            var skipping = true;
            while (skipping && !c.AtEnd)
            {
                skipping = false;
                if (c.IsOperator("<<"))
                {
                    // <<label>>
                    while (!c.AtEnd && !c.IsOperator(">>"))
                    {
                        c.Next();
                    }

                    c.Next();
                    skipping = true;
                }
                else if (c.Accept("DECLARE"))
                {
                    inDeclare = true;
                    skipping = true;
                }
                else if (c.IsWord("BEGIN"))
                {
                    c.Next();
                    inDeclare = false;
                    skipping = true;
                }
                else if (c.IsWord("LOOP"))
                {
                    c.Next();
                    loopDepth++;
                    hasLoop = true;
                    skipping = true;
                }
                else if (c.IsAnyWord(0, "WHILE", "FOR", "FOREACH"))
                {
                    var depth = 0;
                    while (!c.AtEnd && !(depth == 0 && c.IsWord("LOOP")))
                    {
                        var t = c.Next();
                        depth += t.Kind == TokenKind.OpenParen ? 1 : t.Kind == TokenKind.CloseParen ? -1 : 0;
                    }

                    if (c.Accept("LOOP"))
                    {
                        loopDepth++;
                        hasLoop = true;
                    }

                    skipping = true;
                }
                else if (c.IsAnyWord(0, "IF", "ELSIF", "ELSEIF", "WHEN", "CASE") || (c.IsWord("EXCEPTION") && c.IsWord("WHEN", 1)))
                {
                    while (!c.AtEnd && !c.IsWord("THEN"))
                    {
                        c.Next();
                    }

                    c.Accept("THEN");
                    skipping = true;
                }
                else if (c.IsAnyWord(0, "ELSE", "EXCEPTION"))
                {
                    c.Next();
                    skipping = true;
                }
                else if (c.IsWord("END"))
                {
                    if (c.IsWord("LOOP", 1))
                    {
                        loopDepth = Math.Max(0, loopDepth - 1);
                    }

                    c.Position = c.Count; // END LOOP / END IF / END: nothing else in this piece
                }
            }

            if (c.AtEnd || inDeclare)
            {
                leading = raw.Terminator >= 0 ? raw.Terminator + 1 : raw.EndToken;
                continue;
            }

            if (c.IsAnyWord(0, "COMMIT", "ROLLBACK"))
            {
                hasCommit |= c.IsWord("COMMIT");
            }
            else if (c.IsAnyWord(0, "EXECUTE"))
            {
                hasDynamic = true;
            }

            if (c.IsAnyWord(0, "UPDATE", "DELETE", "INSERT", "ALTER", "CREATE", "DROP", "TRUNCATE", "LOCK", "VACUUM", "REINDEX", "CLUSTER", "WITH", "SET", "COMMIT", "ROLLBACK", "RENAME"))
            {
                pieces.Add((c.TokenIndex(), raw.EndToken, leading, loopDepth));
            }

            leading = raw.Terminator >= 0 ? raw.Terminator + 1 : raw.EndToken;
        }

        var parser = new StatementParser(_source, tokens, SqlDialect.PostgreSql, _issues);
        var statements = new List<Statement>(pieces.Count);
        foreach (var (first, end, lead, depth) in pieces)
        {
            var last = end - 1;
            while (last > first && tokens[last].IsTrivia)
            {
                last--;
            }

            var span = TextSpan.FromBounds(tokens[first].Start, tokens[last].End);
            statements.Add(parser.Parse(span, first, end, lead, new BodyContext(owner, depth, hasCommit)));
        }

        return new ProceduralBody
        {
            Span = new TextSpan(innerStart, innerLength),
            Statements = statements,
            Tokens = tokens,
            HasLoop = hasLoop,
            HasCommit = hasCommit,
            HasDynamicSql = hasDynamic,
        };
    }
}
