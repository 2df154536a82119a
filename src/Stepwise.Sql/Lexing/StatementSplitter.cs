namespace Stepwise.Sql.Lexing;

/// <summary>
/// Splits a source into statements on its tokens: at ';' outside parentheses and routine bodies, at a
/// MySQL DELIMITER terminator, at a statement-breakpoint comment, and around psql meta-commands and
/// DELIMITER lines (which are never part of a statement). Never throws; problems become issues.
/// A statement ended by a meta-command or a DELIMITER line has that token as its Terminator.
/// </summary>
public static class StatementSplitter
{
    /// <summary>Lexes a text and splits it into statements.</summary>
    /// <param name="text">The source text (null is read as empty).</param>
    /// <param name="dialect">The SQL dialect to lex it as.</param>
    /// <param name="options">Splitter options (a statement-breakpoint marker); null for none.</param>
    public static SplitResult Split(string text, SqlDialect dialect, SplitOptions? options = null)
    {
        text ??= string.Empty;
        var breakpoint = options?.BreakpointComment?.Trim();
        if (string.IsNullOrEmpty(breakpoint))
        {
            breakpoint = null;
        }

        var tokens = SqlLexer.Tokenize(text, dialect, breakpoint);
        var splitter = new Splitter(text, tokens, dialect, breakpoint);
        splitter.Run();
        return new SplitResult(tokens, splitter.Statements, splitter.Issues);
    }

    private sealed class Splitter
    {
        private readonly string _text;
        private readonly Token[] _tokens;
        private readonly SqlDialect _dialect;
        private readonly string? _breakpoint;

        private int _first = -1;
        private int _last = -1;
        private int _parenDepth;
        private bool _customDelimiter;
        private bool _unclosedReported;
        private StatementBlocks _blocks;

        public Splitter(string text, Token[] tokens, SqlDialect dialect, string? breakpoint)
        {
            _text = text;
            _tokens = tokens;
            _dialect = dialect;
            _breakpoint = breakpoint;
            _blocks = new StatementBlocks(text, tokens, dialect);
        }

        public List<RawStatement> Statements { get; } = [];

        public List<SplitIssue> Issues { get; } = [];

        public void Run()
        {
            var tokens = _tokens;
            for (var i = 0; i < tokens.Length; i++)
            {
                var token = tokens[i];
                if (token.IsUnterminated)
                {
                    ReportUnterminated(token);
                }

                switch (token.Kind)
                {
                    case TokenKind.Whitespace or TokenKind.BlockComment:
                        // An unterminated comment swallows the rest of the input: keep it in the open statement
                        // so that running it fails loudly instead of silently dropping the text.
                        if (token.IsUnterminated && _first >= 0 && _dialect != SqlDialect.Sqlite)
                        {
                            _last = i;
                        }

                        continue;
                    case TokenKind.LineComment:
                        if (_breakpoint is not null && IsBreakpoint(token))
                        {
                            Finish(i);
                        }

                        continue;
                    case TokenKind.Semicolon when !_customDelimiter && _parenDepth == 0 && _blocks.AllowsTerminator:
                    case TokenKind.CustomTerminator:
                        Finish(i);
                        continue;
                    case TokenKind.MetaCommand:
                        Issues.Add(new SplitIssue(token.Span, MetaCommandMessage(token)));
                        Finish(i);
                        continue;
                    case TokenKind.Delimiter:
                        ReadDelimiter(i, token);
                        continue;
                }

                if (_first < 0)
                {
                    _first = i;
                    _blocks.Reset();
                }
                else if (_dialect == SqlDialect.MySql && IsMisplacedDelimiter(token))
                {
                    Issues.Add(new SplitIssue(token.Span,
                        "DELIMITER is a client command only at the start of a statement; the statement before this line lacks its terminator, so the line is part of it."));
                }

                switch (token.Kind)
                {
                    case TokenKind.OpenParen:
                        _parenDepth++;
                        break;
                    case TokenKind.CloseParen when _parenDepth > 0:
                        _parenDepth--;
                        break;
                }

                _blocks.Observe(i, _parenDepth);
                _last = i;
            }

            if (_first >= 0 && (_parenDepth > 0 || !_blocks.AllowsTerminator) && !_unclosedReported)
            {
                var what = _parenDepth > 0 ? "a '(' that is never closed" : "a BEGIN … END block that is never closed";
                Issues.Add(new SplitIssue(
                    new TextSpan(_tokens[_first].Start, 0),
                    $"The last statement ends inside {what}; any ';' after it did not end a statement."));
            }

            Finish(-1);
        }

        private void Finish(int terminator)
        {
            if (_first >= 0)
            {
                var span = TextSpan.FromBounds(_tokens[_first].Start, _tokens[_last].End);
                Statements.Add(new RawStatement(span, _first, _last + 1, terminator));
            }

            _first = -1;
            _last = -1;
            _parenDepth = 0;
        }

        private bool IsMisplacedDelimiter(Token token) =>
            token.Kind == TokenKind.Word
            && MySqlDelimiterDirective.StartsAt(_text, token.Start)
            && token.Length == MySqlDelimiterDirective.Keyword.Length
            && MySqlLexer.IsAtLineStart(_text, token.Start);

        private bool IsBreakpoint(Token token) =>
            _text.AsSpan(token.Start, token.Length).Trim().Equals(_breakpoint, StringComparison.Ordinal);

        private void ReadDelimiter(int index, Token token)
        {
            var line = _text.AsSpan(token.Start, token.Length);
            switch (MySqlDelimiterDirective.ReadArgument(line, out var offset, out var length))
            {
                case MySqlDelimiterDirective.Status.MissingArgument:
                    Issues.Add(new SplitIssue(token.Span,
                        "DELIMITER must be followed by a delimiter string; the line is ignored."));
                    break;
                case MySqlDelimiterDirective.Status.ContainsBackslash:
                    Issues.Add(new SplitIssue(token.Span,
                        "A DELIMITER string cannot contain a backslash; the line is ignored."));
                    break;
                default:
                    _customDelimiter = !(length == 1 && line[offset] == ';');
                    break;
            }

            if (_first >= 0)
            {
                Issues.Add(new SplitIssue(token.Span,
                    "DELIMITER ends a statement that has no terminator (the mysql client sends it as it is)."));
            }

            Finish(index);
        }

        private void ReportUnterminated(Token token)
        {
            string what;
            var openerLength = 1;
            switch (token.Kind)
            {
                case TokenKind.String:
                    what = "string literal";
                    openerLength = _text.AsSpan(token.Start, token.Length).IndexOfAny('\'', '"') + 1;
                    break;
                case TokenKind.QuotedIdentifier:
                    what = "quoted identifier";
                    openerLength = _text[token.Start] is 'u' or 'U' ? 3 : 1;
                    break;
                case TokenKind.DollarString:
                    openerLength = _text.AsSpan(token.Start + 1, token.Length - 1).IndexOf('$') + 2;
                    what = $"dollar-quoted string {_text.Substring(token.Start, openerLength)}";
                    break;
                case TokenKind.BlockComment when _dialect == SqlDialect.Sqlite:
                    return;
                case TokenKind.BlockComment:
                    what = "block comment";
                    openerLength = 2;
                    break;
                case TokenKind.ConditionalComment:
                    what = "conditional comment";
                    openerLength = 3;
                    break;
                case TokenKind.Parameter:
                    what = "quoted variable name";
                    openerLength = 2;
                    break;
                case TokenKind.MetaCommand:
                    what = "COPY data (no line \\. ends it)";
                    break;
                default:
                    what = "token";
                    break;
            }

            openerLength = Math.Clamp(openerLength, 1, token.Length);
            Issues.Add(new SplitIssue(
                new TextSpan(token.Start, openerLength),
                $"Unterminated {what}: it runs to the end of the input, so the rest of the file is part of it."));
            _unclosedReported = true;
        }

        private string MetaCommandMessage(Token token)
        {
            var text = _text.AsSpan(token.Start, token.Length);
            if (text[0] != '\\')
            {
                return "psql COPY data after COPY … FROM STDIN is not SQL and is left out of the statements.";
            }

            var end = 1;
            while (end < text.Length && !LexChars.IsSpace(text[end]) && text[end] != '\\')
            {
                end++;
            }

            return $"psql meta-command {text[..end]} is not SQL and is ignored.";
        }
    }
}
