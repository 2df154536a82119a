using System.Text;

namespace Stepwise.Sql.Tests.Differential;

/// <summary>Compares two lists of statement spans over one text and describes the first difference.</summary>
internal static class BoundaryComparison
{
    private const int ExcerptHead = 160;
    private const int ExcerptTail = 80;

    /// <summary>The oracle's raw statements trimmed of trivia, blank ones dropped.</summary>
    public static IReadOnlyList<TextSpan> TrimOracle(string text, IReadOnlyList<TextSpan> raw)
    {
        var trimmed = new List<TextSpan>(raw.Count);
        foreach (var span in raw)
        {
            var t = PgTrivia.Trim(text, span);
            if (t.Length > 0)
            {
                trimmed.Add(t);
            }
        }

        return trimmed;
    }

    /// <summary>Null when both lists are equal; otherwise a readable report of the first mismatch.</summary>
    public static string? FirstMismatch(string path, string text, IReadOnlyList<TextSpan> expected, IReadOnlyList<TextSpan> actual)
    {
        var source = new SourceText(text, path);
        var count = Math.Min(expected.Count, actual.Count);
        for (var i = 0; i < count; i++)
        {
            if (expected[i] != actual[i])
            {
                return Describe(source, i, expected, actual);
            }
        }

        return expected.Count == actual.Count ? null : Describe(source, count, expected, actual);
    }

    private static string Describe(SourceText source, int index, IReadOnlyList<TextSpan> expected, IReadOnlyList<TextSpan> actual)
    {
        var sb = new StringBuilder();
        sb.Append(source.Path).Append(": statement #").Append(index + 1)
          .Append(" differs (postgres found ").Append(expected.Count)
          .Append(" statements, stepwise ").Append(actual.Count).Append(')').Append('\n');
        Append(sb, "postgres", source, index < expected.Count ? expected[index] : null);
        Append(sb, "stepwise", source, index < actual.Count ? actual[index] : null);
        if (index > 0)
        {
            Append(sb, "previous (agreed)", source, expected[index - 1]);
        }

        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string who, SourceText source, TextSpan? span)
    {
        sb.Append("  ").Append(who).Append(": ");
        if (span is not { } s)
        {
            sb.Append("(no statement)\n");
            return;
        }

        var from = source.GetLinePosition(s.Start);
        var to = source.GetLinePosition(s.End);
        sb.Append(s).Append(" = ").Append(from.Line).Append(':').Append(from.Column)
          .Append("..").Append(to.Line).Append(':').Append(to.Column).Append('\n');
        sb.Append("    «").Append(Excerpt(source.Text, s)).Append("»\n");
    }

    internal static string Excerpt(string text, TextSpan span)
    {
        var body = text.Substring(span.Start, span.Length);
        if (body.Length > ExcerptHead + ExcerptTail + 5)
        {
            body = string.Concat(body.AsSpan(0, ExcerptHead), " … ", body.AsSpan(body.Length - ExcerptTail));
        }

        return body.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "⏎ ", StringComparison.Ordinal);
    }
}
