using System.Globalization;

namespace Stepwise.Analysis;

/// <summary>Durations as users write them on the command line and in directives: 500ms, 2s, 1.5m, or a bare
/// number of seconds.</summary>
public static class DurationText
{
    /// <summary>Parses a duration of at most a day; false for anything else (negative, unknown unit, too long).</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var t = text.Trim().ToLowerInvariant();
        var (number, factor) = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 1.0)
            : t.EndsWith('s') ? (t[..^1], 1000.0)
            : t.EndsWith('m') ? (t[..^1], 60_000.0)
            : (t, 1000.0);
        // at most a day: a typo such as 500m (minutes) for 500ms should not become a week
        if (number.Length == 0 || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || n * factor > 86_400_000)
        {
            return false;
        }

        value = TimeSpan.FromMilliseconds(n * factor);
        return true;
    }
}
