using System.Globalization;

namespace Stepwise.Cli.Commands;

/// <summary>Reports on the calling thread, in order.</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

internal static class Durations
{
    /// <summary>Parses 500ms, 2s, 1.5m, or a bare number of seconds; null text gives null.</summary>
    public static bool TryParse(string? text, out TimeSpan? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var t = text.Trim().ToLowerInvariant();
        double factor = 1000;
        if (t.EndsWith("ms", StringComparison.Ordinal))
        {
            factor = 1;
            t = t[..^2];
        }
        else if (t.EndsWith('s'))
        {
            t = t[..^1];
        }
        else if (t.EndsWith('m'))
        {
            factor = 60_000;
            t = t[..^1];
        }

        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0)
        {
            return false;
        }

        value = TimeSpan.FromMilliseconds(n * factor);
        return true;
    }
}
