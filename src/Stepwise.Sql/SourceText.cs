namespace Stepwise.Sql;

/// <summary>
/// The text of one SQL source (a file, a section of a file, or standard input) with its path.
/// Line and column numbers are computed on demand, only when something is reported.
/// </summary>
public sealed class SourceText
{
    private int[]? _lineStarts;

    /// <summary>Wraps a source's text.</summary>
    /// <param name="text">The whole text.</param>
    /// <param name="path">The path to report it under (see <see cref="Path"/>); empty when it has none.</param>
    public SourceText(string text, string path = "")
    {
        Text = text;
        Path = path;
    }

    /// <summary>The whole text.</summary>
    public string Text { get; }

    /// <summary>The path as the user gave it or as found under a given folder; "-" for standard input.</summary>
    public string Path { get; }

    /// <summary>The text's length in characters.</summary>
    public int Length => Text.Length;

    /// <summary>The characters of <paramref name="span"/>, without copying.</summary>
    public ReadOnlySpan<char> Slice(TextSpan span) => Text.AsSpan(span.Start, span.Length);

    /// <summary>The characters of <paramref name="span"/> as a new string.</summary>
    public string ToString(TextSpan span) => Text.Substring(span.Start, span.Length);

    /// <summary>1-based line and column of a character offset. Columns count UTF-16 code units.</summary>
    public LinePosition GetLinePosition(int offset)
    {
        var starts = LineStarts();
        offset = Math.Clamp(offset, 0, Text.Length);
        var index = Array.BinarySearch(starts, offset);
        var line = index >= 0 ? index : ~index - 1;
        return new LinePosition(line + 1, offset - starts[line] + 1);
    }

    /// <summary>The text of a 1-based line without its terminator.</summary>
    public string GetLineText(int line)
    {
        var starts = LineStarts();
        if (line < 1 || line > starts.Length)
        {
            return string.Empty;
        }

        var start = starts[line - 1];
        var end = line < starts.Length ? starts[line] : Text.Length;
        while (end > start && (Text[end - 1] == '\n' || Text[end - 1] == '\r'))
        {
            end--;
        }

        return Text.Substring(start, end - start);
    }

    /// <summary>The number of lines (\n, \r\n and a lone \r end a line); an empty text has one.</summary>
    public int LineCount => LineStarts().Length;

    private int[] LineStarts()
    {
        if (_lineStarts is not null)
        {
            return _lineStarts;
        }

        var starts = new List<int> { 0 };
        for (var i = 0; i < Text.Length; i++)
        {
            var c = Text[i];
            if (c == '\n')
            {
                starts.Add(i + 1);
            }
            else if (c == '\r' && (i + 1 >= Text.Length || Text[i + 1] != '\n'))
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = starts.ToArray();
        return _lineStarts;
    }
}

/// <summary>A 1-based line and column.</summary>
public readonly record struct LinePosition(int Line, int Column);
