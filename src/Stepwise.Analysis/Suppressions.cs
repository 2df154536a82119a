using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis;

/// <summary>One `-- stepwise:ignore …` or `-- stepwise:ignore-file …` comment.</summary>
internal sealed class Suppression
{
    public required TextSpan Span { get; init; }

    public required IReadOnlySet<string> Rules { get; init; }

    public required bool WholeFile { get; init; }

    public string Reason { get; init; } = string.Empty;

    /// <summary>For a statement suppression: the first token index of the statement it applies to.</summary>
    public int StatementToken { get; init; } = -1;

    public bool Used { get; set; }
}

/// <summary>Reads suppression comments: `-- stepwise:ignore rule-a, rule-b reason` on the lines before a
/// statement, and `-- stepwise:ignore-file rule` anywhere.</summary>
internal static class Suppressions
{
    public const string IgnoreDirective = "stepwise:ignore";
    public const string IgnoreFileDirective = "stepwise:ignore-file";
    public const string NoTransactionDirective = "stepwise:no-transaction";

    public static bool HasNoTransactionDirective(ParsedScript script)
    {
        foreach (var t in script.Tokens)
        {
            if (t.Kind is TokenKind.LineComment or TokenKind.BlockComment &&
                script.Source.Slice(t.Span).IndexOf(NoTransactionDirective, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Finds every suppression in the script; malformed ones are returned as problems.</summary>
    public static List<Suppression> Read(ParsedScript script, Func<string, bool> isRule, List<(TextSpan Span, string Message)> problems)
    {
        var result = new List<Suppression>();
        var statementIndex = 0;
        var statements = script.Statements;
        for (var i = 0; i < script.Tokens.Length; i++)
        {
            var token = script.Tokens[i];
            if (token.Kind is not (TokenKind.LineComment or TokenKind.BlockComment))
            {
                continue;
            }

            var text = script.Source.ToString(token.Span).TrimStart('-', '/', '*', '#', ' ', '\t').TrimEnd('*', '/', ' ', '\t', '\r', '\n');
            var wholeFile = text.StartsWith(IgnoreFileDirective, StringComparison.OrdinalIgnoreCase);
            if (!wholeFile && !text.StartsWith(IgnoreDirective, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var rest = text[(wholeFile ? IgnoreFileDirective.Length : IgnoreDirective.Length)..];
            if (rest.Length > 0 && !char.IsWhiteSpace(rest[0]))
            {
                continue; // e.g. stepwise:ignored — not ours
            }

            var rules = new HashSet<string>(StringComparer.Ordinal);
            var words = rest.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
            var k = 0;
            for (; k < words.Length; k++)
            {
                var w = words[k].ToLowerInvariant();
                if (isRule(w))
                {
                    rules.Add(w);
                }
                else if (rules.Count == 0 && w.Contains('-', StringComparison.Ordinal))
                {
                    problems.Add((token.Span, $"unknown rule '{words[k]}' in suppression (see `stepwise explain --list`)"));
                    rules.Add(w);
                }
                else
                {
                    break;
                }
            }

            if (rules.Count == 0)
            {
                problems.Add((token.Span, "suppression names no rule: write `-- stepwise:ignore <rule> <reason>`"));
                continue;
            }

            while (statementIndex < statements.Count && statements[statementIndex].FirstToken < i)
            {
                statementIndex++;
            }

            result.Add(new Suppression
            {
                Span = token.Span,
                Rules = rules,
                WholeFile = wholeFile,
                Reason = string.Join(' ', words.Skip(k)),
                StatementToken = !wholeFile && statementIndex < statements.Count ? statements[statementIndex].FirstToken : -1,
            });
        }

        return result;
    }
}
