namespace Stepwise.Sql.Lexing;

/// <summary>
/// The PostgreSQL lexer, following the server's scan.l where token extents matter for splitting
/// (nested comments, E'' escapes and their quote continuations, dollar quotes, operator runs) and
/// psql for backslash meta-commands.
/// </summary>
internal static class PostgreSqlLexer
{
    public static Token[] Tokenize(string text)
    {
        var s = text.AsSpan();
        var tokens = new TokenBuffer(s.Length);
        var pos = 0;

        // A quote that follows an E'' string across whitespace containing a newline continues that
        // string in E mode (SQL quote continuation), so its backslashes still escape.
        var continuesEscapeString = false;
        var continuationHasNewline = false;
        var copy = default(CopyFromStdin);

        while (pos < s.Length)
        {
            var start = pos;
            var c = s[pos];
            var kind = TokenKind.Unknown;
            var flags = TokenFlags.None;
            var escapeString = false;

            if (LexChars.IsSpace(c))
            {
                pos = LexChars.SkipSpaces(s, pos);
                if (copy.DataPending && TrySplitCopyData(s, start, pos, ref tokens, out var dataEnd))
                {
                    copy = default;
                    continuesEscapeString = false;
                    pos = dataEnd;
                    continue;
                }

                kind = TokenKind.Whitespace;
                if (continuesEscapeString && !continuationHasNewline)
                {
                    continuationHasNewline = s[start..pos].ContainsAny('\n', '\r');
                }

                tokens.Add(kind, start, pos - start);
                continue;
            }

            if (c == '-' && Next(s, pos) == '-')
            {
                pos = LexChars.EndOfLine(s, pos);
                tokens.Add(TokenKind.LineComment, start, pos - start);
                continue;
            }

            switch (c)
            {
                case '/' when Next(s, pos) == '*':
                    pos = SkipNestedComment(s, pos, out var closed);
                    kind = TokenKind.BlockComment;
                    flags = closed ? TokenFlags.None : TokenFlags.Unterminated;
                    break;
                case '\'':
                    escapeString = continuesEscapeString && continuationHasNewline;
                    pos = SkipString(s, pos, escapeString, out flags);
                    kind = TokenKind.String;
                    break;
                case '"':
                    pos = SkipQuoted(s, pos, '"', out flags);
                    kind = TokenKind.QuotedIdentifier;
                    break;
                case '$':
                    pos = LexDollar(s, pos, out kind, out flags);
                    break;
                case '.':
                    if (LexChars.IsDigit(Next(s, pos)))
                    {
                        pos = LexNumber(s, pos);
                        kind = TokenKind.Number;
                    }
                    else if (Next(s, pos) == '.')
                    {
                        pos += 2;
                        kind = TokenKind.Operator;
                    }
                    else
                    {
                        pos++;
                        kind = TokenKind.Dot;
                    }

                    break;
                case ':':
                    if (Next(s, pos) is ':' or '=')
                    {
                        pos += 2;
                        kind = TokenKind.Operator;
                    }
                    else
                    {
                        pos++;
                        kind = TokenKind.Colon;
                    }

                    break;
                case '(':
                    pos++;
                    kind = TokenKind.OpenParen;
                    break;
                case ')':
                    pos++;
                    kind = TokenKind.CloseParen;
                    break;
                case '[':
                    pos++;
                    kind = TokenKind.OpenBracket;
                    break;
                case ']':
                    pos++;
                    kind = TokenKind.CloseBracket;
                    break;
                case ',':
                    pos++;
                    kind = TokenKind.Comma;
                    break;
                case ';':
                    pos++;
                    kind = TokenKind.Semicolon;
                    break;
                case '\\':
                    // psql reads a backslash outside quotes as a meta-command running to the end of the line.
                    pos = LexChars.EndOfLine(s, pos);
                    kind = TokenKind.MetaCommand;
                    break;
                default:
                    if (LexChars.IsDigit(c))
                    {
                        pos = LexNumber(s, pos);
                        kind = TokenKind.Number;
                    }
                    else if (IsOperatorChar(c))
                    {
                        pos = LexOperator(s, pos);
                        kind = TokenKind.Operator;
                    }
                    else if (LexChars.IsIdentStart(c))
                    {
                        pos = LexWordOrPrefixedString(s, pos, out kind, out flags, out escapeString);
                    }
                    else
                    {
                        pos++;
                    }

                    break;
            }

            copy.Observe(kind, s.Slice(start, pos - start));
            if (kind == TokenKind.String)
            {
                continuesEscapeString = escapeString;
                continuationHasNewline = false;
            }
            else if (kind != TokenKind.LineComment)
            {
                continuesEscapeString = false;
            }

            tokens.Add(kind, start, pos - start, flags);
        }

        return tokens.ToArray();
    }

    /// <summary>
    /// After "COPY … FROM STDIN;" psql sends the following lines, up to a line "\.", as data. The line
    /// break that ends the COPY line stays whitespace; the data block becomes one MetaCommand token.
    /// </summary>
    private static bool TrySplitCopyData(ReadOnlySpan<char> s, int start, int end, ref TokenBuffer tokens, out int dataEnd)
    {
        dataEnd = end;
        var newline = s[start..end].IndexOfAny('\n', '\r');
        if (newline < 0)
        {
            return false;
        }

        var dataStart = SkipLineBreak(s, start + newline);
        tokens.Add(TokenKind.Whitespace, start, dataStart - start);
        if (dataStart >= s.Length)
        {
            dataEnd = dataStart;
            return true;
        }

        var lineStart = dataStart;
        while (true)
        {
            var lineEnd = LexChars.EndOfLine(s, lineStart);
            if (s[lineStart..lineEnd] is @"\.")
            {
                dataEnd = lineEnd;
                tokens.Add(TokenKind.MetaCommand, dataStart, dataEnd - dataStart);
                return true;
            }

            if (lineEnd >= s.Length)
            {
                dataEnd = s.Length;
                tokens.Add(TokenKind.MetaCommand, dataStart, dataEnd - dataStart, TokenFlags.Unterminated);
                return true;
            }

            lineStart = SkipLineBreak(s, lineEnd);
        }
    }

    private static int SkipLineBreak(ReadOnlySpan<char> s, int pos) =>
        s[pos] == '\r' && pos + 1 < s.Length && s[pos + 1] == '\n' ? pos + 2 : pos + 1;

    private static char Next(ReadOnlySpan<char> s, int pos) => pos + 1 < s.Length ? s[pos + 1] : '\0';

    private static bool IsOperatorChar(char c) => c is '~' or '!' or '@' or '#' or '^' or '&' or '|' or '`'
        or '?' or '+' or '-' or '*' or '/' or '%' or '<' or '>' or '=';

    private static int SkipNestedComment(ReadOnlySpan<char> s, int pos, out bool closed)
    {
        var depth = 1;
        var i = pos + 2;
        while (true)
        {
            var index = s[i..].IndexOfAny('*', '/');
            if (index < 0)
            {
                closed = false;
                return s.Length;
            }

            i += index;
            if (i + 1 >= s.Length)
            {
                closed = false;
                return s.Length;
            }

            if (s[i] == '*' && s[i + 1] == '/')
            {
                i += 2;
                if (--depth == 0)
                {
                    closed = true;
                    return i;
                }
            }
            else if (s[i] == '/' && s[i + 1] == '*')
            {
                i += 2;
                depth++;
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>A '…' string body; in E mode a backslash escapes the next character.</summary>
    private static int SkipString(ReadOnlySpan<char> s, int quote, bool escapes, out TokenFlags flags)
    {
        var end = escapes
            ? LexChars.SkipBackslashQuoted(s, quote, '\'', out var terminated)
            : LexChars.SkipDoubledQuoted(s, quote, '\'', out terminated);
        flags = terminated ? TokenFlags.None : TokenFlags.Unterminated;
        return end;
    }

    private static int SkipQuoted(ReadOnlySpan<char> s, int quote, char q, out TokenFlags flags)
    {
        var end = LexChars.SkipDoubledQuoted(s, quote, q, out var terminated);
        flags = terminated ? TokenFlags.None : TokenFlags.Unterminated;
        return end;
    }

    private static int LexDollar(ReadOnlySpan<char> s, int pos, out TokenKind kind, out TokenFlags flags)
    {
        flags = TokenFlags.None;
        var next = Next(s, pos);
        if (LexChars.IsDigit(next))
        {
            // $1 (PostgreSQL 18 lexes "$1a" as $1 then a; older servers reject it).
            var i = pos + 1;
            while (i < s.Length && LexChars.IsDigit(s[i]))
            {
                i++;
            }

            kind = TokenKind.Parameter;
            return i;
        }

        // Dollar-quote tags are identifier characters without '$'.
        var tagEnd = pos + 1;
        if (LexChars.IsIdentStart(next))
        {
            tagEnd++;
            while (tagEnd < s.Length && (LexChars.IsIdentStart(s[tagEnd]) || LexChars.IsDigit(s[tagEnd])))
            {
                tagEnd++;
            }
        }

        if (tagEnd < s.Length && s[tagEnd] == '$')
        {
            var delimiter = s[pos..(tagEnd + 1)];
            var bodyStart = tagEnd + 1;
            var index = s[bodyStart..].IndexOf(delimiter, StringComparison.Ordinal);
            kind = TokenKind.DollarString;
            if (index < 0)
            {
                flags = TokenFlags.Unterminated;
                return s.Length;
            }

            return bodyStart + index + delimiter.Length;
        }

        // A lone '$' (or "$abc" without a closing '$'): the server returns '$' alone and rescans the rest.
        kind = TokenKind.Unknown;
        return pos + 1;
    }

    private static int LexNumber(ReadOnlySpan<char> s, int pos)
    {
        var i = pos;
        if (s[i] == '0' && i + 1 < s.Length && (s[i + 1] | 0x20) is 'x' or 'o' or 'b')
        {
            var radix = s[i + 1] | 0x20;
            var j = SkipDigits(s, i + 2, radix);
            if (j > i + 2)
            {
                return AbsorbJunk(s, j);
            }
        }

        if (s[i] != '.')
        {
            i = SkipDigits(s, i, 'd');
        }

        // "1..5" is 1 followed by "..": a second dot means the first is not a decimal point.
        if (i < s.Length && s[i] == '.' && !(i + 1 < s.Length && s[i + 1] == '.'))
        {
            i++;
            i = SkipDigits(s, i, 'd');
        }

        if (i < s.Length && (s[i] | 0x20) == 'e')
        {
            var j = i + 1;
            if (j < s.Length && s[j] is '+' or '-')
            {
                j++;
            }

            if (j < s.Length && LexChars.IsDigit(s[j]))
            {
                i = SkipDigits(s, j, 'd');
            }
        }

        return AbsorbJunk(s, i);
    }

    /// <summary>Digits of a radix ('d', 'x', 'o', 'b') with single underscores between them.</summary>
    private static int SkipDigits(ReadOnlySpan<char> s, int i, int radix)
    {
        var start = i;
        while (i < s.Length)
        {
            var c = s[i];
            if (IsRadixDigit(c, radix))
            {
                i++;
            }
            else if (c == '_' && i > start && i + 1 < s.Length && IsRadixDigit(s[i + 1], radix))
            {
                i += 2;
            }
            else if (c == '_' && i == start && radix != 'd' && i + 1 < s.Length && IsRadixDigit(s[i + 1], radix))
            {
                // 0x_1F: an underscore may follow the radix prefix.
                i += 2;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    private static bool IsRadixDigit(char c, int radix) => radix switch
    {
        'x' => LexChars.IsHexDigit(c),
        'o' => (uint)(c - '0') <= 7,
        'b' => c is '0' or '1',
        _ => LexChars.IsDigit(c),
    };

    /// <summary>Identifier characters glued to a number are "trailing junk" to the server: one token.</summary>
    private static int AbsorbJunk(ReadOnlySpan<char> s, int i)
    {
        if (i < s.Length && LexChars.IsIdentStart(s[i]))
        {
            i = LexChars.SkipIdentParts(s, i);
        }

        return i;
    }

    private static int LexOperator(ReadOnlySpan<char> s, int pos)
    {
        var end = pos + 1;
        while (end < s.Length && IsOperatorChar(s[end]))
        {
            end++;
        }

        // A "--" or "/*" inside the run starts a comment; the operator stops before it.
        var run = s[pos..end];
        var cut = run.Length;
        for (var k = 1; k + 1 < run.Length; k++)
        {
            if ((run[k] == '-' && run[k + 1] == '-') || (run[k] == '/' && run[k + 1] == '*'))
            {
                cut = k;
                break;
            }
        }

        // Like the server, drop trailing + and - from a multi-character operator made only of SQL
        // operator characters, so "=-1" is "=" then "-1".
        if (cut > 1 && run[cut - 1] is '+' or '-')
        {
            var hasNonSql = false;
            for (var k = cut - 2; k >= 0; k--)
            {
                if (run[k] is '~' or '!' or '@' or '#' or '^' or '&' or '|' or '`' or '?' or '%')
                {
                    hasNonSql = true;
                    break;
                }
            }

            if (!hasNonSql)
            {
                do
                {
                    cut--;
                }
                while (cut > 1 && run[cut - 1] is '+' or '-');
            }
        }

        return pos + cut;
    }

    private static int LexWordOrPrefixedString(
        ReadOnlySpan<char> s, int pos, out TokenKind kind, out TokenFlags flags, out bool escapeString)
    {
        escapeString = false;
        flags = TokenFlags.None;
        var end = LexChars.SkipIdentParts(s, pos);
        if (end - pos == 1 && end < s.Length)
        {
            var prefix = (char)(s[pos] | 0x20);
            var next = s[end];
            if (next == '\'')
            {
                switch (prefix)
                {
                    case 'e':
                        escapeString = true;
                        kind = TokenKind.String;
                        return SkipString(s, end, escapes: true, out flags);
                    case 'b' or 'x' or 'n':
                        kind = TokenKind.String;
                        return SkipString(s, end, escapes: false, out flags);
                }
            }
            else if (prefix == 'u' && next == '&' && end + 1 < s.Length && s[end + 1] is '\'' or '"')
            {
                if (s[end + 1] == '\'')
                {
                    kind = TokenKind.String;
                    return SkipString(s, end + 1, escapes: false, out flags);
                }

                kind = TokenKind.QuotedIdentifier;
                return SkipQuoted(s, end + 1, '"', out flags);
            }
        }

        kind = TokenKind.Word;
        return end;
    }

    /// <summary>Notices "COPY … FROM STDIN|STDOUT …;" and psql's "\copy … from stdin", after which the
    /// data lines are not SQL.</summary>
    private struct CopyFromStdin
    {
        private bool _started;
        private bool _isCopy;
        private bool _afterFrom;
        private bool _hasData;
        private int _depth;

        public bool DataPending { get; private set; }

        public void Observe(TokenKind kind, ReadOnlySpan<char> text)
        {
            switch (kind)
            {
                case TokenKind.Whitespace or TokenKind.LineComment or TokenKind.BlockComment:
                    return;
                case TokenKind.Semicolon:
                    DataPending = _isCopy && _hasData;
                    this = this with { _started = false, _isCopy = false, _afterFrom = false, _hasData = false, _depth = 0 };
                    return;
                case TokenKind.MetaCommand:
                    DataPending = IsBackslashCopyFromStdin(text);
                    this = this with { _started = false, _isCopy = false, _afterFrom = false, _hasData = false, _depth = 0 };
                    return;
                case TokenKind.OpenParen:
                    _depth++;
                    break;
                case TokenKind.CloseParen when _depth > 0:
                    _depth--;
                    break;
                case TokenKind.Word when !_started:
                    _isCopy = text.Equals("COPY", StringComparison.OrdinalIgnoreCase);
                    break;
                case TokenKind.Word when _isCopy && _afterFrom:
                    _hasData |= text.Equals("STDIN", StringComparison.OrdinalIgnoreCase)
                        || text.Equals("STDOUT", StringComparison.OrdinalIgnoreCase);
                    break;
            }

            _afterFrom = _isCopy && _depth == 0 && kind == TokenKind.Word
                && text.Equals("FROM", StringComparison.OrdinalIgnoreCase);
            _started = true;
        }

        private static bool IsBackslashCopyFromStdin(ReadOnlySpan<char> text)
        {
            if (!text.StartsWith(@"\copy", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            var previousWasFrom = false;
            foreach (var range in text.SplitAny(" \t"))
            {
                var word = text[range];
                if (word.IsEmpty)
                {
                    continue;
                }

                if (previousWasFrom && word.Equals("stdin", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }

                previousWasFrom = word.Equals("from", StringComparison.OrdinalIgnoreCase);
            }

            return false;
        }
    }
}
