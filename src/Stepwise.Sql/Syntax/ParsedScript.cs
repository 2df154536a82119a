using Stepwise.Sql.Lexing;

namespace Stepwise.Sql.Syntax;

/// <summary>A parsed SQL source: its tokens, its statements (typed where they matter, opaque otherwise)
/// and what could not be read. Parsing never throws.</summary>
public sealed class ParsedScript
{
    private ParsedScript(SourceText source, SqlDialect dialect, Token[] tokens, IReadOnlyList<Statement> statements, IReadOnlyList<ParseIssue> issues)
    {
        Source = source;
        Dialect = dialect;
        Tokens = tokens;
        Statements = statements;
        Issues = issues;
    }

    /// <summary>The source that was parsed.</summary>
    public SourceText Source { get; }

    /// <summary>The dialect it was read as.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>All tokens of the source, trivia included; top-level statements' token indexes point here.</summary>
    public Token[] Tokens { get; }

    /// <summary>The top-level statements, in source order (see <see cref="AllStatements"/> for those inside bodies).</summary>
    public IReadOnlyList<Statement> Statements { get; }

    /// <summary>What the splitter and parser could not read, in the order found.</summary>
    public IReadOnlyList<ParseIssue> Issues { get; }

    /// <summary>Lexes, splits and parses a source. Never throws: problems become <see cref="Issues"/> and
    /// statements the parser cannot follow become <see cref="OpaqueStatement"/>s.</summary>
    /// <param name="source">The text to parse.</param>
    /// <param name="dialect">The SQL dialect to read it as.</param>
    /// <param name="options">Splitter options (a statement-breakpoint marker); null for none.</param>
    public static ParsedScript Parse(SourceText source, SqlDialect dialect, SplitOptions? options = null)
    {
        var split = StatementSplitter.Split(source.Text, dialect, options);
        var issues = new List<ParseIssue>();
        foreach (var issue in split.Issues)
        {
            var isMeta = false;
            foreach (var t in split.Tokens)
            {
                if (t.Start == issue.Span.Start)
                {
                    isMeta = t.Kind == TokenKind.MetaCommand;
                    break;
                }

                if (t.Start > issue.Span.Start)
                {
                    break;
                }
            }

            issues.Add(new ParseIssue(issue.Span, issue.Message, IsError: !isMeta));
        }

        var parser = new StatementParser(source, split.Tokens, dialect, issues);
        var statements = new List<Statement>(split.Statements.Count);
        var leading = 0;
        foreach (var raw in split.Statements)
        {
            statements.Add(parser.Parse(raw.Span, raw.FirstToken, raw.EndToken, leading, body: null));
            leading = raw.Terminator >= 0 ? raw.Terminator + 1 : raw.EndToken;
        }

        return new ParsedScript(source, dialect, split.Tokens, statements, issues);
    }

    /// <summary>The comment tokens between the previous statement and this one (where suppressions live).</summary>
    public IEnumerable<Token> LeadingComments(Statement statement)
    {
        for (var i = statement.LeadingToken; i < statement.FirstToken && i < Tokens.Length; i++)
        {
            if (Tokens[i].Kind is TokenKind.LineComment or TokenKind.BlockComment)
            {
                yield return Tokens[i];
            }
        }
    }

    /// <summary>Every statement, including those inside DO blocks and function bodies, depth first.</summary>
    public IEnumerable<Statement> AllStatements()
    {
        foreach (var s in Statements)
        {
            yield return s;
            var body = s switch
            {
                DoStatement d => d.Body,
                CreateFunctionStatement f => f.Body,
                _ => null,
            };
            if (body is null)
            {
                continue;
            }

            foreach (var inner in body.Statements)
            {
                yield return inner;
            }
        }
    }
}
