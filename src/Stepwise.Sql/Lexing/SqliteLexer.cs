namespace Stepwise.Sql.Lexing;

/// <summary>The SQLite lexer, following the token rules of SQLite's tokenize.c.</summary>
internal static class SqliteLexer
{
    public static Token[] Tokenize(string text)
    {
        var s = text.AsSpan();
        var tokens = new TokenBuffer(s.Length);
        var pos = 0;
        while (pos < s.Length)
        {
            var start = pos;
            var kind = Lex(s, pos, out pos, out var flags);
            tokens.Add(kind, start, pos - start, flags);
        }

        return tokens.ToArray();
    }

    private static char Peek(ReadOnlySpan<char> s, int index) => index < s.Length ? s[index] : '\0';

    private static TokenKind Lex(ReadOnlySpan<char> s, int pos, out int end, out TokenFlags flags)
    {
        var c = s[pos];
        flags = TokenFlags.None;
        bool terminated;
        switch (c)
        {
            case ' ' or '\t' or '\n' or '\r' or '\f' or '\v':
                end = LexChars.SkipSpaces(s, pos);
                return TokenKind.Whitespace;
            case '-':
                if (Peek(s, pos + 1) == '-')
                {
                    end = LexChars.EndOfLine(s, pos);
                    return TokenKind.LineComment;
                }

                end = pos + (Peek(s, pos + 1) == '>' ? (Peek(s, pos + 2) == '>' ? 3 : 2) : 1);
                return TokenKind.Operator;
            case '/':
                if (Peek(s, pos + 1) == '*')
                {
                    // SQLite lets an unterminated comment run to the end of the input.
                    end = LexChars.SkipBlockComment(s, pos, out terminated);
                    flags = terminated ? TokenFlags.None : TokenFlags.Unterminated;
                    return TokenKind.BlockComment;
                }

                end = pos + 1;
                return TokenKind.Operator;
            case '\'':
                end = LexChars.SkipDoubledQuoted(s, pos, c, out terminated);
                flags = terminated ? TokenFlags.None : TokenFlags.Unterminated;
                return TokenKind.String;
            case '"' or '`':
                end = LexChars.SkipDoubledQuoted(s, pos, c, out terminated);
                flags = terminated ? TokenFlags.None : TokenFlags.Unterminated;
                return TokenKind.QuotedIdentifier;
            case '[':
                end = LexChars.SkipTo(s, pos + 1, ']', out terminated);
                flags = terminated ? TokenFlags.None : TokenFlags.Unterminated;
                return TokenKind.QuotedIdentifier;
            case '?':
                end = pos + 1;
                while (end < s.Length && LexChars.IsDigit(s[end]))
                {
                    end++;
                }

                return TokenKind.Parameter;
            case ':' or '@' or '#' or '$':
                return LexVariable(s, pos, out end);
            case '.':
                if (LexChars.IsDigit(Peek(s, pos + 1)))
                {
                    end = LexNumber(s, pos);
                    return TokenKind.Number;
                }

                end = pos + 1;
                return TokenKind.Dot;
            case '(':
                end = pos + 1;
                return TokenKind.OpenParen;
            case ')':
                end = pos + 1;
                return TokenKind.CloseParen;
            case ',':
                end = pos + 1;
                return TokenKind.Comma;
            case ';':
                end = pos + 1;
                return TokenKind.Semicolon;
            case '=':
                end = pos + (Peek(s, pos + 1) == '=' ? 2 : 1);
                return TokenKind.Operator;
            case '<':
                end = pos + (Peek(s, pos + 1) is '=' or '>' or '<' ? 2 : 1);
                return TokenKind.Operator;
            case '>':
                end = pos + (Peek(s, pos + 1) is '=' or '>' ? 2 : 1);
                return TokenKind.Operator;
            case '!':
                if (Peek(s, pos + 1) == '=')
                {
                    end = pos + 2;
                    return TokenKind.Operator;
                }

                end = pos + 1;
                return TokenKind.Unknown;
            case '|':
                end = pos + (Peek(s, pos + 1) == '|' ? 2 : 1);
                return TokenKind.Operator;
            case '+' or '*' or '%' or '&' or '~':
                end = pos + 1;
                return TokenKind.Operator;
        }

        if (LexChars.IsDigit(c))
        {
            end = LexNumber(s, pos);
            return TokenKind.Number;
        }

        if (LexChars.IsIdentStart(c))
        {
            end = LexChars.SkipIdentParts(s, pos);
            if (end - pos == 1 && (c | 0x20) == 'x' && end < s.Length && s[end] == '\'')
            {
                // x'ABCD' blob literal: SQLite scans to the next quote whatever lies between.
                end = LexChars.SkipTo(s, end + 1, '\'', out terminated);
                flags = terminated ? TokenFlags.None : TokenFlags.Unterminated;
                return TokenKind.String;
            }

            return TokenKind.Word;
        }

        end = pos + 1;
        return TokenKind.Unknown;
    }

    /// <summary>:name, @name, #name, $name; also TCL-style $name::part and $name(index).</summary>
    private static TokenKind LexVariable(ReadOnlySpan<char> s, int pos, out int end)
    {
        var nameChars = 0;
        var i = pos + 1;
        while (i < s.Length)
        {
            var c = s[i];
            if (LexChars.IsIdentPart(c))
            {
                nameChars++;
                i++;
            }
            else if (c == '(' && nameChars > 0)
            {
                // SQLite scans "(…)" up to ')' or whitespace; without ')' the token is illegal.
                i++;
                while (i < s.Length && s[i] != ')' && !LexChars.IsSpace(s[i]))
                {
                    i++;
                }

                var closed = i < s.Length && s[i] == ')';
                end = closed ? i + 1 : i;
                return closed ? TokenKind.Parameter : TokenKind.Unknown;
            }
            else if (c == ':' && Peek(s, i + 1) == ':')
            {
                i += 2;
            }
            else
            {
                break;
            }
        }

        end = i;
        return nameChars == 0 ? TokenKind.Unknown : TokenKind.Parameter;
    }

    private static int LexNumber(ReadOnlySpan<char> s, int pos)
    {
        var i = pos;
        if (s[i] == '0' && (Peek(s, i + 1) | 0x20) == 'x' && LexChars.IsHexDigit(Peek(s, i + 2)))
        {
            i += 3;
            while (i < s.Length && (LexChars.IsHexDigit(s[i]) || s[i] == '_'))
            {
                i++;
            }
        }
        else
        {
            i = SkipDigits(s, i);
            if (i < s.Length && s[i] == '.')
            {
                i = SkipDigits(s, i + 1);
            }

            if (i < s.Length && (s[i] | 0x20) == 'e'
                && (LexChars.IsDigit(Peek(s, i + 1)) || (Peek(s, i + 1) is '+' or '-' && LexChars.IsDigit(Peek(s, i + 2)))))
            {
                i = SkipDigits(s, i + 2);
            }
        }

        // Identifier characters glued to a number make one illegal token in SQLite.
        while (i < s.Length && LexChars.IsIdentPart(s[i]))
        {
            i++;
        }

        return i;
    }

    private static int SkipDigits(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && (LexChars.IsDigit(s[i]) || s[i] == '_'))
        {
            i++;
        }

        return i;
    }
}
