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

        if (!Stepwise.Analysis.DurationText.TryParse(text, out var parsed))
        {
            return false;
        }

        value = parsed;
        return true;
    }
}
