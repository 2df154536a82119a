namespace Stepwise.Sql;

/// <summary>A range of characters in a source text: [Start, Start + Length).</summary>
/// <param name="Start">Offset of the first character.</param>
/// <param name="Length">Number of characters.</param>
public readonly record struct TextSpan(int Start, int Length)
{
    /// <summary>Offset one past the last character.</summary>
    public int End => Start + Length;

    /// <summary>The span [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public static TextSpan FromBounds(int start, int end) => new(start, end - start);

    /// <summary>True when <paramref name="position"/> lies inside the span (the end excluded).</summary>
    public bool Contains(int position) => position >= Start && position < End;

    /// <summary>The span as "[start..end)", for diagnostics.</summary>
    public override string ToString() => $"[{Start}..{End})";
}
