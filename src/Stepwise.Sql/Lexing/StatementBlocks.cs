namespace Stepwise.Sql.Lexing;

/// <summary>
/// Tracks the statement bodies whose inner semicolons do not end the statement: PostgreSQL
/// CREATE FUNCTION|PROCEDURE … BEGIN ATOMIC … END, SQLite CREATE TRIGGER … BEGIN … END, and MySQL
/// stored-program bodies (CREATE PROCEDURE|FUNCTION|TRIGGER|EVENT … BEGIN … END, MariaDB BEGIN NOT ATOMIC).
/// It only looks at word tokens, without allocating.
/// </summary>
internal struct StatementBlocks
{
    private const int HeadDone = -1;

    // MySQL: how many leading tokens of a CREATE statement may precede the object kind (DEFINER = … etc.).
    private const int MySqlHeadWindow = 24;

    private readonly string _text;
    private readonly Token[] _tokens;
    private readonly SqlDialect _dialect;

    private int _head;          // state of the statement-head recogniser, HeadDone when finished
    private int _headTokens;    // significant tokens seen by the head recogniser
    private bool _routine;      // the statement can have a body with inner semicolons
    private bool _bodyDone;     // its body has been closed
    private int _depth;         // open BEGIN/CASE … END inside the body; 0 outside
    private int _bodyBegin;     // token index of the BEGIN that opened the body
    private int _previous;      // previous significant token of the statement, -1 at its start
    private int _skip;          // token index of a CASE that belongs to "END CASE" (MySQL)

    public StatementBlocks(string text, Token[] tokens, SqlDialect dialect)
    {
        _text = text;
        _tokens = tokens;
        _dialect = dialect;
        Reset();
    }

    /// <summary>Whether a ';' here ends the statement (false inside a routine body).</summary>
    public readonly bool AllowsTerminator => _depth == 0;

    public void Reset()
    {
        _head = 0;
        _headTokens = 0;
        _routine = false;
        _bodyDone = false;
        _depth = 0;
        _bodyBegin = -1;
        _previous = -1;
        _skip = -1;
    }

    public void Observe(int index, int parenDepth)
    {
        var token = _tokens[index];
        if (_head != HeadDone)
        {
            ObserveHead(token);
        }

        if (_routine)
        {
            switch (_dialect)
            {
                case SqlDialect.PostgreSql:
                    ObservePostgreSql(index, token, parenDepth);
                    break;
                case SqlDialect.Sqlite:
                    ObserveSqlite(index, token, parenDepth);
                    break;
                default:
                    ObserveMySql(index, token, parenDepth);
                    break;
            }
        }

        _previous = index;
    }

    private void ObserveHead(Token token)
    {
        _headTokens++;
        switch (_dialect)
        {
            case SqlDialect.PostgreSql:
                // CREATE [OR REPLACE] FUNCTION|PROCEDURE
                _head = _head switch
                {
                    0 when Is(token, "CREATE") => 1,
                    1 when Is(token, "OR") => 2,
                    2 when Is(token, "REPLACE") => 3,
                    1 or 3 when Is(token, "FUNCTION") || Is(token, "PROCEDURE") => Routine(),
                    _ => HeadDone,
                };
                break;
            case SqlDialect.Sqlite:
                // [EXPLAIN [QUERY PLAN]] CREATE [TEMP|TEMPORARY] TRIGGER
                _head = _head switch
                {
                    0 when Is(token, "EXPLAIN") => 10,
                    10 when Is(token, "QUERY") => 11,
                    11 when Is(token, "PLAN") => 12,
                    0 or 10 or 12 when Is(token, "CREATE") => 1,
                    1 when Is(token, "TEMP") || Is(token, "TEMPORARY") => 2,
                    1 or 2 when Is(token, "TRIGGER") => Routine(),
                    _ => HeadDone,
                };
                break;
            default:
                // CREATE … PROCEDURE|FUNCTION|TRIGGER|EVENT (after DEFINER = …, OR REPLACE, AGGREGATE …),
                // or MariaDB's anonymous BEGIN NOT ATOMIC block.
                _head = _head switch
                {
                    0 when Is(token, "CREATE") => 1,
                    0 when Is(token, "BEGIN") => 20,
                    20 when Is(token, "NOT") => 21,
                    21 when Is(token, "ATOMIC") => OpenAnonymousBlock(),
                    1 when Is(token, "PROCEDURE") || Is(token, "FUNCTION") || Is(token, "TRIGGER") || Is(token, "EVENT")
                        => Routine(),
                    1 when IsMySqlOtherObject(token) || _headTokens > MySqlHeadWindow => HeadDone,
                    1 => 1,
                    _ => HeadDone,
                };
                break;
        }
    }

    private int Routine()
    {
        _routine = true;
        return HeadDone;
    }

    private int OpenAnonymousBlock()
    {
        _routine = true;
        _depth = 1;
        return HeadDone;
    }

    private readonly bool IsMySqlOtherObject(Token token) =>
        Is(token, "TABLE") || Is(token, "VIEW") || Is(token, "INDEX") || Is(token, "DATABASE")
        || Is(token, "SCHEMA") || Is(token, "USER") || Is(token, "ROLE") || Is(token, "SERVER")
        || Is(token, "TABLESPACE") || Is(token, "SEQUENCE") || Is(token, "LOGFILE") || Is(token, "SPATIAL")
        || Is(token, "UNIQUE") || Is(token, "FULLTEXT") || Is(token, "TEMPORARY") || Is(token, "RESOURCE");

    private void ObservePostgreSql(int index, Token token, int parenDepth)
    {
        if (_depth == 0)
        {
            // The body is BEGIN ATOMIC … END; a bare BEGIN elsewhere (a function named "begin") is not.
            if (!_bodyDone && parenDepth == 0 && Is(token, "BEGIN") && !AfterDotOrAs()
                && Is(NextSignificant(index), "ATOMIC"))
            {
                _depth = 1;
            }

            return;
        }

        if (token.Kind == TokenKind.Semicolon && parenDepth == 0)
        {
            // No CASE spans a ';', so any still open was a stray word: the body level is what remains.
            _depth = 1;
        }
        else if (Is(token, "CASE") && !AfterDotOrAs())
        {
            _depth++;
        }
        else if (Is(token, "END") && !AfterDotOrAs())
        {
            if (--_depth == 0)
            {
                _bodyDone = true;
            }
        }
    }

    private void ObserveSqlite(int index, Token token, int parenDepth)
    {
        if (_depth == 0)
        {
            if (!_bodyDone && parenDepth == 0 && Is(token, "BEGIN"))
            {
                _depth = 1;
                _bodyBegin = index;
            }

            return;
        }

        if (token.Kind == TokenKind.Semicolon && parenDepth == 0)
        {
            _depth = 1;
        }
        else if (Is(token, "CASE") && !AfterDotOrAs())
        {
            _depth++;
        }
        else if (Is(token, "END") && !AfterDotOrAs())
        {
            if (_depth > 1)
            {
                _depth--;
            }
            else if (ClosesSqliteBody(index))
            {
                _depth = 0;
                _bodyDone = true;
            }
        }
    }

    /// <summary>END closes a trigger body after a ';' (as sqlite3_complete decides), right after BEGIN, or —
    /// tolerating a missing ';' — before a ';' when END cannot be a column named "end" in an expression.</summary>
    private readonly bool ClosesSqliteBody(int index)
    {
        if (_previous < 0 || _previous == _bodyBegin || _tokens[_previous].Kind == TokenKind.Semicolon)
        {
            return true;
        }

        var previous = _tokens[_previous];
        if (previous.Kind is TokenKind.Operator or TokenKind.Comma or TokenKind.OpenParen or TokenKind.Dot
            || Is(previous, "SET") || Is(previous, "SELECT") || Is(previous, "WHERE") || Is(previous, "BY")
            || Is(previous, "AND") || Is(previous, "OR") || Is(previous, "NOT"))
        {
            return false;
        }

        var next = NextSignificant(index);
        return next.Length == 0 || next.Kind == TokenKind.Semicolon;
    }

    private void ObserveMySql(int index, Token token, int parenDepth)
    {
        if (token.Kind != TokenKind.Word || AfterDotOrAs() || index == _skip)
        {
            return;
        }

        if (_depth == 0)
        {
            if (!_bodyDone && parenDepth == 0 && Is(token, "BEGIN"))
            {
                _depth = 1;
            }

            return;
        }

        if (Is(token, "BEGIN") || Is(token, "CASE"))
        {
            _depth++;
        }
        else if (Is(token, "END"))
        {
            // END IF / END LOOP / END WHILE / END REPEAT close statements whose openers are not counted
            // (IF and REPEAT are also function names); END CASE closes a counted CASE.
            var nextIndex = NextSignificantIndex(index);
            var next = nextIndex < 0 ? default : _tokens[nextIndex];
            if (Is(next, "IF") || Is(next, "LOOP") || Is(next, "WHILE") || Is(next, "REPEAT"))
            {
                return;
            }

            if (Is(next, "CASE"))
            {
                _skip = nextIndex;
            }

            if (--_depth == 0)
            {
                _bodyDone = true;
            }
        }
    }

    private readonly bool AfterDotOrAs()
    {
        if (_previous < 0)
        {
            return false;
        }

        var previous = _tokens[_previous];
        return previous.Kind == TokenKind.Dot || Is(previous, "AS");
    }

    private readonly Token NextSignificant(int index)
    {
        var next = NextSignificantIndex(index);
        return next < 0 ? default : _tokens[next];
    }

    private readonly int NextSignificantIndex(int index)
    {
        for (var i = index + 1; i < _tokens.Length; i++)
        {
            if (!_tokens[i].IsTrivia)
            {
                return i;
            }
        }

        return -1;
    }

    private readonly bool Is(Token token, string word) =>
        token.Kind == TokenKind.Word
        && token.Length == word.Length
        && _text.AsSpan(token.Start, token.Length).Equals(word, StringComparison.OrdinalIgnoreCase);
}
