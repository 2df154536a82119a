namespace Stepwise.Sql.Lexing;

/// <summary>
/// The MySQL/MariaDB lexer (server rules for tokens, mysql client rules for DELIMITER). It is
/// stateful: after "DELIMITER $$" the string "$$" outside quotes and comments is a terminator and ';'
/// is an ordinary token, until "DELIMITER ;". Like the client, DELIMITER is a command only as the first word
/// of a line at the start of a statement.
/// </summary>
internal ref struct MySqlLexer
{
    private readonly ReadOnlySpan<char> _s;
    private readonly string? _breakpoint;
    private TokenBuffer _tokens;
    private int _delimiterStart;
    private int _delimiterLength;

    // Whether a significant token was seen since the last terminator: like the client, DELIMITER is a
    // command only at the start of a statement (a column named "delimiter" in a column list is not one).
    private bool _statementPending;

    private MySqlLexer(string text, string? breakpoint)
    {
        _s = text.AsSpan();
        _breakpoint = breakpoint is not null && breakpoint.StartsWith("--", StringComparison.Ordinal) ? breakpoint : null;
        _tokens = new TokenBuffer(text.Length);
    }

    public static Token[] Tokenize(string text, string? breakpoint)
    {
        var lexer = new MySqlLexer(text, breakpoint);
        lexer.Run();
        return lexer._tokens.ToArray();
    }

    private readonly ReadOnlySpan<char> Delimiter => _s.Slice(_delimiterStart, _delimiterLength);

    private void Run()
    {
        var s = _s;
        var pos = 0;
        while (pos < s.Length)
        {
            var start = pos;
            if (_delimiterLength > 0 && s[pos..].StartsWith(Delimiter, StringComparison.Ordinal))
            {
                pos += _delimiterLength;
                _tokens.Add(TokenKind.CustomTerminator, start, pos - start);
                _statementPending = false;
                continue;
            }

            var kind = Lex(pos, out var end, out var flags);
            if (_delimiterLength > 0 && IsUnquotedRun(kind, start))
            {
                end = StopAtDelimiter(start, end);
            }

            _tokens.Add(kind, start, end - start, flags);
            pos = end;
            switch (kind)
            {
                case TokenKind.Semicolon when _delimiterLength == 0:
                case TokenKind.Delimiter:
                case TokenKind.LineComment when _breakpoint is not null && IsBreakpoint(start, end):
                    _statementPending = false;
                    break;
                case TokenKind.Whitespace or TokenKind.LineComment or TokenKind.BlockComment:
                    break;
                default:
                    _statementPending = true;
                    break;
            }
        }
    }

    // The client looks for the delimiter at every position outside quotes and comments.
    private readonly bool IsUnquotedRun(TokenKind kind, int start) => kind switch
    {
        TokenKind.Whitespace or TokenKind.Word or TokenKind.Number or TokenKind.Operator => true,
        TokenKind.Parameter => Peek(start + 1) is not ('\'' or '"' or '`'),
        _ => false,
    };

    private readonly int StopAtDelimiter(int start, int end)
    {
        var first = _s[_delimiterStart];
        for (var k = start + 1; k < end; k++)
        {
            if (_s[k] == first && _s[k..].StartsWith(Delimiter, StringComparison.Ordinal))
            {
                return k;
            }
        }

        return end;
    }

    private readonly bool IsBreakpoint(int start, int end) =>
        _s[start..end].TrimEnd().Equals(_breakpoint, StringComparison.Ordinal);

    private TokenKind Lex(int pos, out int end, out TokenFlags flags)
    {
        var s = _s;
        var c = s[pos];
        flags = TokenFlags.None;
        bool terminated;
        switch (c)
        {
            case ' ' or '\t' or '\n' or '\r' or '\f' or '\v':
                end = LexChars.SkipSpaces(s, pos);
                return TokenKind.Whitespace;
            case '#':
                end = LexChars.EndOfLine(s, pos);
                return TokenKind.LineComment;
            case '-' when Peek(pos + 1) == '-':
                // "-- " is a comment only when the dashes are followed by whitespace, a control character or
                // the end: "1--1" is 1 minus minus 1.
                if (pos + 2 >= s.Length || s[pos + 2] <= ' ' || s[pos + 2] == '\x7f' || IsBreakpointAt(pos))
                {
                    end = LexChars.EndOfLine(s, pos);
                    return TokenKind.LineComment;
                }

                end = pos + 1;
                return TokenKind.Operator;
            case '/' when Peek(pos + 1) == '*':
                end = LexChars.SkipBlockComment(s, pos, out terminated);
                flags = terminated ? TokenFlags.None : TokenFlags.Unterminated;
                return Peek(pos + 2) == '!' || (Peek(pos + 2) == 'M' && Peek(pos + 3) == '!')
                    ? TokenKind.ConditionalComment
                    : TokenKind.BlockComment;
            case '\'' or '"':
                end = LexChars.SkipBackslashQuoted(s, pos, c, out terminated);
                flags = terminated ? TokenFlags.None : TokenFlags.Unterminated;
                return TokenKind.String;
            case '`':
                end = LexChars.SkipDoubledQuoted(s, pos, '`', out terminated);
                flags = terminated ? TokenFlags.None : TokenFlags.Unterminated;
                return TokenKind.QuotedIdentifier;
            case '@':
                return LexAt(pos, out end, out flags);
            case '?':
                end = pos + 1;
                return TokenKind.Parameter;
            case '.' when LexChars.IsDigit(Peek(pos + 1)):
                end = LexNumberOrWord(pos, out var numberKind);
                return numberKind;
            case '.':
                end = pos + 1;
                return TokenKind.Dot;
            case ':':
                end = Peek(pos + 1) == '=' ? pos + 2 : pos + 1;
                return end - pos == 2 ? TokenKind.Operator : TokenKind.Colon;
            case '(':
                end = pos + 1;
                return TokenKind.OpenParen;
            case ')':
                end = pos + 1;
                return TokenKind.CloseParen;
            case '[':
                end = pos + 1;
                return TokenKind.OpenBracket;
            case ']':
                end = pos + 1;
                return TokenKind.CloseBracket;
            case ',':
                end = pos + 1;
                return TokenKind.Comma;
            case ';':
                end = pos + 1;
                return TokenKind.Semicolon;
            case '<':
                end = pos + (Peek(pos + 1) == '=' && Peek(pos + 2) == '>' ? 3 : Peek(pos + 1) is '=' or '>' or '<' ? 2 : 1);
                return TokenKind.Operator;
            case '>':
                end = pos + (Peek(pos + 1) is '=' or '>' ? 2 : 1);
                return TokenKind.Operator;
            case '!':
                end = pos + (Peek(pos + 1) == '=' ? 2 : 1);
                return TokenKind.Operator;
            case '|':
                end = pos + (Peek(pos + 1) == '|' ? 2 : 1);
                return TokenKind.Operator;
            case '&':
                end = pos + (Peek(pos + 1) == '&' ? 2 : 1);
                return TokenKind.Operator;
            case '-':
                end = pos + (Peek(pos + 1) == '>' ? (Peek(pos + 2) == '>' ? 3 : 2) : 1);
                return TokenKind.Operator;
            case '=' or '~' or '^' or '+' or '*' or '%' or '/':
                end = pos + 1;
                return TokenKind.Operator;
        }

        if (LexChars.IsDigit(c))
        {
            end = LexNumberOrWord(pos, out var numberKind);
            return numberKind;
        }

        if (LexChars.IsIdentPart(c))
        {
            return LexWord(pos, out end, out flags);
        }

        end = pos + 1;
        return TokenKind.Unknown;
    }

    private readonly char Peek(int index) => index < _s.Length ? _s[index] : '\0';

    private readonly bool IsBreakpointAt(int pos) =>
        _breakpoint is not null && IsBreakpoint(pos, LexChars.EndOfLine(_s, pos));

    private TokenKind LexWord(int pos, out int end, out TokenFlags flags)
    {
        var s = _s;
        flags = TokenFlags.None;
        end = LexChars.SkipIdentParts(s, pos);
        if (!_statementPending && MySqlDelimiterDirective.StartsAt(s, pos) && IsAtLineStart(s, pos))
        {
            end = LexChars.EndOfLine(s, pos);
            var status = MySqlDelimiterDirective.ReadArgument(s[pos..end], out var offset, out var length);
            if (status == MySqlDelimiterDirective.Status.Valid)
            {
                var isSemicolon = length == 1 && s[pos + offset] == ';';
                _delimiterStart = pos + offset;
                _delimiterLength = isSemicolon ? 0 : length;
            }

            return TokenKind.Delimiter;
        }

        if (end - pos == 1 && end < s.Length && s[end] == '\'')
        {
            switch (s[pos] | 0x20)
            {
                case 'n':
                    end = LexChars.SkipBackslashQuoted(s, end, '\'', out var terminated);
                    flags = terminated ? TokenFlags.None : TokenFlags.Unterminated;
                    return TokenKind.String;
                case 'x' or 'b':
                    end = LexChars.SkipTo(s, end + 1, '\'', out terminated);
                    flags = terminated ? TokenFlags.None : TokenFlags.Unterminated;
                    return TokenKind.String;
            }
        }

        return TokenKind.Word;
    }

    internal static bool IsAtLineStart(ReadOnlySpan<char> s, int pos)
    {
        for (var k = pos - 1; k >= 0; k--)
        {
            var c = s[k];
            if (LexChars.IsNewline(c))
            {
                return true;
            }

            if (!LexChars.IsHorizontalSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Numbers, or identifiers that start with digits (MySQL allows "1abc" as a name).</summary>
    private readonly int LexNumberOrWord(int pos, out TokenKind kind)
    {
        var s = _s;
        kind = TokenKind.Number;
        if (s[pos] == '0' && (Peek(pos + 1) | 0x20) is 'x' or 'b')
        {
            var hex = (Peek(pos + 1) | 0x20) == 'x';
            var j = pos + 2;
            while (j < s.Length && (hex ? LexChars.IsHexDigit(s[j]) : s[j] is '0' or '1'))
            {
                j++;
            }

            if (j > pos + 2 && !(j < s.Length && LexChars.IsIdentPart(s[j])))
            {
                return j;
            }

            kind = TokenKind.Word;
            return LexChars.SkipIdentParts(s, pos);
        }

        var i = pos;
        while (i < s.Length && LexChars.IsDigit(s[i]))
        {
            i++;
        }

        var isDecimal = i < s.Length && s[i] == '.';
        if (isDecimal)
        {
            i++;
            while (i < s.Length && LexChars.IsDigit(s[i]))
            {
                i++;
            }
        }

        if (i < s.Length && (s[i] | 0x20) == 'e')
        {
            var j = i + 1;
            var signed = j < s.Length && s[j] is '+' or '-';
            if (signed)
            {
                j++;
            }

            if (j < s.Length && LexChars.IsDigit(s[j]))
            {
                while (j < s.Length && LexChars.IsDigit(s[j]))
                {
                    j++;
                }

                if (signed || isDecimal || !(j < s.Length && LexChars.IsIdentPart(s[j])))
                {
                    return j;
                }
            }
        }

        if (!isDecimal && i < s.Length && LexChars.IsIdentPart(s[i]))
        {
            kind = TokenKind.Word;
            return LexChars.SkipIdentParts(s, pos);
        }

        return i;
    }

    private readonly TokenKind LexAt(int pos, out int end, out TokenFlags flags)
    {
        var s = _s;
        flags = TokenFlags.None;
        var next = Peek(pos + 1);
        if (next == '@')
        {
            end = SkipVariableName(pos + 2);
            return TokenKind.Parameter;
        }

        // 'user'@'host' and root@localhost: an '@' glued to a name is the account separator.
        if (_tokens.Count > 0 && _tokens.Last.Kind is TokenKind.Word or TokenKind.String or TokenKind.QuotedIdentifier)
        {
            end = pos + 1;
            return TokenKind.Operator;
        }

        if (next is '\'' or '"' or '`')
        {
            end = next == '`'
                ? LexChars.SkipDoubledQuoted(s, pos + 1, next, out var terminated)
                : LexChars.SkipBackslashQuoted(s, pos + 1, next, out terminated);
            flags = terminated ? TokenFlags.None : TokenFlags.Unterminated;
            return TokenKind.Parameter;
        }

        if (LexChars.IsIdentPart(next) || next == '.')
        {
            end = SkipVariableName(pos + 1);
            return TokenKind.Parameter;
        }

        end = pos + 1;
        return TokenKind.Operator;
    }

    private readonly int SkipVariableName(int i)
    {
        while (i < _s.Length && (LexChars.IsIdentPart(_s[i]) || _s[i] == '.'))
        {
            i++;
        }

        return i;
    }
}
