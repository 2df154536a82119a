namespace Stepwise.Sql.Syntax;

/// <summary>Walks the significant tokens of one statement. Reading past the end yields an empty token;
/// nothing here throws on malformed input.</summary>
internal sealed class Cursor
{
    private readonly SourceText _source;
    private readonly Token[] _tokens;
    private readonly int[] _significant;

    public Cursor(SourceText source, Token[] tokens, int first, int end)
    {
        _source = source;
        _tokens = tokens;
        var list = new List<int>(Math.Max(0, end - first));
        for (var i = first; i < end && i < tokens.Length; i++)
        {
            if (!tokens[i].IsTrivia)
            {
                list.Add(i);
            }
        }

        _significant = list.ToArray();
    }

    public int Position { get; set; }

    public int Count => _significant.Length;

    public bool AtEnd => Position >= _significant.Length;

    public SourceText Source => _source;

    public Token Peek(int ahead = 0)
    {
        var i = Position + ahead;
        return i >= 0 && i < _significant.Length ? _tokens[_significant[i]] : new Token(TokenKind.Unknown, _source.Length, 0);
    }

    /// <summary>The index into the script's token array of the token at the cursor (+ahead).</summary>
    public int TokenIndex(int ahead = 0)
    {
        var i = Position + ahead;
        return i >= 0 && i < _significant.Length ? _significant[i] : (_significant.Length > 0 ? _significant[^1] + 1 : 0);
    }

    public Token Next()
    {
        var t = Peek();
        if (!AtEnd)
        {
            Position++;
        }

        return t;
    }

    public Token Previous => Position > 0 && Position - 1 < _significant.Length ? _tokens[_significant[Position - 1]] : new Token(TokenKind.Unknown, 0, 0);

    public string Text(Token token) => _source.ToString(token.Span);

    public bool IsWord(string word, int ahead = 0)
    {
        var t = Peek(ahead);
        return t.Kind == TokenKind.Word && _source.Slice(t.Span).Equals(word, StringComparison.OrdinalIgnoreCase);
    }

    public bool IsAnyWord(int ahead, params ReadOnlySpan<string> words)
    {
        var t = Peek(ahead);
        if (t.Kind != TokenKind.Word)
        {
            return false;
        }

        var text = _source.Slice(t.Span);
        foreach (var w in words)
        {
            if (text.Equals(w, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public bool Is(TokenKind kind, int ahead = 0) => Peek(ahead).Kind == kind;

    public bool IsOperator(string op, int ahead = 0)
    {
        var t = Peek(ahead);
        return t.Kind == TokenKind.Operator && _source.Slice(t.Span).SequenceEqual(op);
    }

    public bool Accept(string word)
    {
        if (IsWord(word))
        {
            Position++;
            return true;
        }

        return false;
    }

    /// <summary>Accepts the whole sequence of words, or nothing.</summary>
    public bool Accept(string first, string second, string? third = null)
    {
        if (IsWord(first) && IsWord(second, 1) && (third is null || IsWord(third, 2)))
        {
            Position += third is null ? 2 : 3;
            return true;
        }

        return false;
    }

    public bool Accept(TokenKind kind)
    {
        if (Is(kind))
        {
            Position++;
            return true;
        }

        return false;
    }

    public bool AcceptOperator(string op)
    {
        if (IsOperator(op))
        {
            Position++;
            return true;
        }

        return false;
    }

    /// <summary>At an opening parenthesis, moves past its matching close; otherwise past one token.</summary>
    public void SkipGroupOrToken()
    {
        if (!Is(TokenKind.OpenParen))
        {
            Next();
            return;
        }

        var depth = 0;
        while (!AtEnd)
        {
            var t = Next();
            if (t.Kind == TokenKind.OpenParen)
            {
                depth++;
            }
            else if (t.Kind == TokenKind.CloseParen && --depth == 0)
            {
                return;
            }
        }
    }

    /// <summary>Collects tokens up to (not including) a comma or close paren at depth 0, one of the stop
    /// words at depth 0, or the end.</summary>
    public Expression CollectExpression(bool stopAtComma, params ReadOnlySpan<string> stopWords)
    {
        var list = new List<Token>();
        var depth = 0;
        var first = true;
        while (!AtEnd)
        {
            var t = Peek();
            if (depth == 0)
            {
                if (t.Kind == TokenKind.CloseParen || (stopAtComma && t.Kind == TokenKind.Comma))
                {
                    break;
                }

                if (!first && t.Kind == TokenKind.Word && IsAnyWord(0, stopWords))
                {
                    break;
                }
            }

            if (t.Kind == TokenKind.OpenParen)
            {
                depth++;
            }
            else if (t.Kind == TokenKind.CloseParen)
            {
                depth--;
            }

            list.Add(t);
            Position++;
            first = false;
        }

        return new Expression(_source, list);
    }

    /// <summary>Moves to the next comma at depth 0 (leaving the cursor on it) or to the end.</summary>
    public void SkipToComma()
    {
        var depth = 0;
        while (!AtEnd)
        {
            var t = Peek();
            if (depth == 0 && t.Kind == TokenKind.Comma)
            {
                return;
            }

            if (t.Kind == TokenKind.OpenParen)
            {
                depth++;
            }
            else if (t.Kind == TokenKind.CloseParen)
            {
                if (depth == 0)
                {
                    return;
                }

                depth--;
            }

            Position++;
        }
    }
}
