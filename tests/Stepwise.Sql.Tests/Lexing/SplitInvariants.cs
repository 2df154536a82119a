using Stepwise.Sql.Lexing;

namespace Stepwise.Sql.Tests.Lexing;

/// <summary>The properties every lex and split must have, whatever the input. Returns a description of
/// the first violation, or null.</summary>
internal static class SplitInvariants
{
    public static string? CheckTokens(string text, Token[] tokens)
    {
        var position = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token.Length <= 0)
            {
                return $"token {i} ({token.Kind}) is empty";
            }

            if (token.Start != position)
            {
                return $"token {i} ({token.Kind}) starts at {token.Start}, expected {position}";
            }

            if (!Enum.IsDefined(token.Kind))
            {
                return $"token {i} has an undefined kind {(int)token.Kind}";
            }

            position = token.End;
        }

        return position == text.Length ? null : $"tokens cover {position} of {text.Length} characters";
    }

    public static string? Check(string text, SplitResult result)
    {
        var tokens = result.Tokens;
        var failure = CheckTokens(text, tokens);
        if (failure is not null)
        {
            return failure;
        }

        var covered = new bool[tokens.Length];
        var previousEnd = 0;
        var previousTokenEnd = 0;
        var statements = result.Statements;
        for (var k = 0; k < statements.Count; k++)
        {
            var s = statements[k];
            var name = $"statement {k}";
            if (s.FirstToken < 0 || s.FirstToken >= s.EndToken || s.EndToken > tokens.Length)
            {
                return $"{name} has token range [{s.FirstToken}, {s.EndToken}) outside [0, {tokens.Length}]";
            }

            if (s.FirstToken < previousTokenEnd || s.Span.Start < previousEnd)
            {
                return $"{name} overlaps or precedes the previous statement";
            }

            if (s.Span.Start < 0 || s.Span.End > text.Length || s.Span.Length <= 0)
            {
                return $"{name} span {s.Span} is not inside the input of length {text.Length}";
            }

            var first = tokens[s.FirstToken];
            var last = tokens[s.EndToken - 1];
            if (s.Span.Start != first.Start || s.Span.End != last.End)
            {
                return $"{name} span {s.Span} does not match its tokens [{first.Start}..{last.End})";
            }

            if (first.IsTrivia)
            {
                return $"{name} starts with trivia ({first.Kind})";
            }

            if (last.IsTrivia && !(last.Kind == TokenKind.BlockComment && last.IsUnterminated))
            {
                return $"{name} ends with trivia ({last.Kind})";
            }

            for (var i = s.FirstToken; i < s.EndToken; i++)
            {
                if (tokens[i].Kind is TokenKind.MetaCommand or TokenKind.Delimiter or TokenKind.CustomTerminator)
                {
                    return $"{name} contains a {tokens[i].Kind} token";
                }

                covered[i] = true;
            }

            previousEnd = s.Span.End;
            previousTokenEnd = s.EndToken;
            if (s.Terminator == -1)
            {
                if (k != statements.Count - 1)
                {
                    return $"{name} has no terminator but is not the last statement";
                }

                for (var i = s.EndToken; i < tokens.Length; i++)
                {
                    if (!tokens[i].IsTrivia)
                    {
                        return $"{name} has no terminator but token {i} ({tokens[i].Kind}) follows it";
                    }
                }

                continue;
            }

            if (s.Terminator < s.EndToken || s.Terminator >= tokens.Length)
            {
                return $"{name} terminator {s.Terminator} is outside [{s.EndToken}, {tokens.Length})";
            }

            var terminator = tokens[s.Terminator];
            if (terminator.Kind is not (TokenKind.Semicolon or TokenKind.CustomTerminator or TokenKind.LineComment
                or TokenKind.MetaCommand or TokenKind.Delimiter))
            {
                return $"{name} terminator is a {terminator.Kind}";
            }

            for (var i = s.EndToken; i < s.Terminator; i++)
            {
                if (!tokens[i].IsTrivia)
                {
                    return $"{name}: token {i} ({tokens[i].Kind}) lies between the statement and its terminator";
                }
            }

            previousTokenEnd = s.Terminator + 1;
        }

        for (var i = 0; i < tokens.Length; i++)
        {
            if (!covered[i] && !tokens[i].IsTrivia && tokens[i].Kind is not (TokenKind.Semicolon
                or TokenKind.CustomTerminator or TokenKind.MetaCommand or TokenKind.Delimiter))
            {
                return $"token {i} ({tokens[i].Kind}) belongs to no statement";
            }
        }

        foreach (var issue in result.Issues)
        {
            if (issue.Span.Start < 0 || issue.Span.End > text.Length || issue.Span.Length < 0)
            {
                return $"issue span {issue.Span} is outside the input: {issue.Message}";
            }

            if (string.IsNullOrWhiteSpace(issue.Message))
            {
                return "an issue has no message";
            }
        }

        return null;
    }
}
