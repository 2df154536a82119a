namespace Stepwise.Migrations.Layouts;

/// <summary>The up and down halves of a file that holds both, each the whole file with the other half
/// blanked to spaces (line breaks kept), so positions in either match the file.</summary>
/// <param name="Up">The up text.</param>
/// <param name="Down">The down text, or null when the file has no down section.</param>
/// <param name="UpNoTransaction">What asks the up half to run outside a transaction, or null.</param>
/// <param name="DownNoTransaction">The same for the down half.</param>
/// <param name="Tool">The tool whose markers were found ("dbmate", "goose", "sql-migrate", "liquibase").</param>
public sealed record ScriptSections(string Up, string? Down, string? UpNoTransaction, string? DownNoTransaction, string Tool)
{
    private sealed record Marker(int Start, bool IsUp, bool NoTransaction);

    /// <summary>
    /// Splits a file by the section markers of the tools that keep both directions in one file:
    /// dbmate (<c>-- migrate:up</c> / <c>-- migrate:down</c>, <c>transaction:false</c>), goose
    /// (<c>-- +goose Up</c> / <c>-- +goose Down</c>, <c>-- +goose NO TRANSACTION</c>), sql-migrate
    /// (<c>-- +migrate Up [notransaction]</c> / <c>-- +migrate Down</c>) and Liquibase formatted SQL
    /// (<c>--rollback …</c> lines are the down). Each up marker opens a section that runs to the next up
    /// marker; a down marker inside it starts that section's down part. Text before the first marker
    /// belongs to the up. Returns null when the file has no markers.
    /// </summary>
    public static ScriptSections? Split(string text)
    {
        if (text.IndexOf("--", StringComparison.Ordinal) < 0)
        {
            return null;
        }

        if (IsLiquibase(text))
        {
            return Liquibase(text);
        }

        // most files have no markers: look for them before reading line by line
        if (text.IndexOf("migrate:", StringComparison.Ordinal) < 0 && text.IndexOf("+goose", StringComparison.OrdinalIgnoreCase) < 0 &&
            text.IndexOf("+migrate", StringComparison.OrdinalIgnoreCase) < 0)
        {
            return null;
        }

        var (markers, tool, fileNoTransaction) = FindMarkers(text);
        if (markers.Count == 0)
        {
            return null;
        }

        // what comes before the first marker (comments: dbmate refuses statements there) stays with the up, as in the dbmate layout
        var upBlank = new List<(int Start, int End)>();
        var downBlank = new List<(int Start, int End)> { (0, markers[0].Start) };
        var hasDown = false;
        for (var i = 0; i < markers.Count; i++)
        {
            var end = i + 1 < markers.Count ? markers[i + 1].Start : text.Length;
            (markers[i].IsUp ? downBlank : upBlank).Add((markers[i].Start, end));
            hasDown |= !markers[i].IsUp;
        }

        var upNoTx = fileNoTransaction ?? (markers.Any(m => m.IsUp && m.NoTransaction) ? NoTransactionText(tool, up: true) : null);
        var downNoTx = fileNoTransaction ?? (markers.Any(m => !m.IsUp && m.NoTransaction) ? NoTransactionText(tool, up: false) : null);
        return new ScriptSections(Blank(text, upBlank), hasDown ? Blank(text, downBlank) : null, upNoTx, downNoTx, tool);
    }

    private static string NoTransactionText(string tool, bool up) => tool switch
    {
        "dbmate" => $"transaction:false on '-- migrate:{(up ? "up" : "down")}'",
        "sql-migrate" => $"notransaction on '-- +migrate {(up ? "Up" : "Down")}'",
        _ => "-- +goose NO TRANSACTION",
    };

    private static (List<Marker> Markers, string Tool, string? FileNoTransaction) FindMarkers(string text)
    {
        var markers = new List<Marker>();
        var tool = string.Empty;
        string? fileNoTransaction = null;
        foreach (var (start, line) in Lines(text))
        {
            if (!line.StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line[2..].Trim();
            if (rest.StartsWith("migrate:", StringComparison.Ordinal))
            {
                var word = rest["migrate:".Length..];
                var isUp = StartsWithWord(word, "up");
                if (isUp || StartsWithWord(word, "down"))
                {
                    tool = "dbmate";
                    markers.Add(new Marker(start, isUp, word.Contains("transaction:false", StringComparison.Ordinal)));
                }
            }
            else if (rest.StartsWith("+goose ", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("+migrate ", StringComparison.OrdinalIgnoreCase))
            {
                var goose = rest[1] is 'g' or 'G';
                var word = rest[(goose ? "+goose " : "+migrate ").Length..].TrimStart();
                var isUp = StartsWithWord(word, "up");
                if (isUp || StartsWithWord(word, "down"))
                {
                    tool = goose ? "goose" : "sql-migrate";
                    markers.Add(new Marker(start, isUp, word.Contains("notransaction", StringComparison.OrdinalIgnoreCase)));
                }
                else if (goose && word.StartsWith("NO TRANSACTION", StringComparison.OrdinalIgnoreCase))
                {
                    fileNoTransaction = "-- +goose NO TRANSACTION";
                }
            }
        }

        return (markers, tool, fileNoTransaction);
    }

    private static bool IsLiquibase(string text)
    {
        foreach (var (_, line) in Lines(text))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            return trimmed.StartsWith("--", StringComparison.Ordinal) &&
                trimmed[2..].TrimStart().StartsWith("liquibase formatted sql", StringComparison.OrdinalIgnoreCase);
        }

        return false;
    }

    /// <summary>Liquibase: the file as written is the up (rollback lines are comments); the down is the text
    /// of the <c>--rollback</c> lines, with everything else blanked.</summary>
    private static ScriptSections Liquibase(string text)
    {
        var keep = new List<(int Start, int End)>();
        string? upNoTx = null;
        foreach (var (start, line) in Lines(text))
        {
            if (!line.StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line[2..];
            var body = rest.TrimStart();
            if (body.StartsWith("changeset", StringComparison.OrdinalIgnoreCase) && body.Contains("runInTransaction:false", StringComparison.OrdinalIgnoreCase))
            {
                upNoTx = "runInTransaction:false on '--changeset'";
            }

            if (!body.StartsWith("rollback", StringComparison.OrdinalIgnoreCase) || (body.Length > 8 && !char.IsWhiteSpace(body[8])))
            {
                continue;
            }

            var payload = body[8..].Trim();
            if (payload.Length == 0 || payload.Equals("not required", StringComparison.OrdinalIgnoreCase) || payload.Equals("empty", StringComparison.OrdinalIgnoreCase))
            {
                keep.Add((start, start)); // a rollback section that runs nothing
                continue;
            }

            var payloadStart = start + 2 + (rest.Length - body.Length) + 8;
            keep.Add((payloadStart, start + line.Length));
        }

        if (keep.Count == 0)
        {
            return new ScriptSections(text, null, upNoTx, null, "liquibase");
        }

        var blank = new List<(int Start, int End)>();
        var at = 0;
        foreach (var (start, end) in keep)
        {
            blank.Add((at, start));
            at = end;
        }

        blank.Add((at, text.Length));
        return new ScriptSections(text, Blank(text, blank), upNoTx, null, "liquibase");
    }

    private static IEnumerable<(int Start, string Line)> Lines(string text)
    {
        var start = 0;
        while (start < text.Length)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline;
            yield return (start, text[start..end].TrimEnd('\r'));
            start = end + 1;
        }
    }

    private static bool StartsWithWord(string text, string word) =>
        text.StartsWith(word, StringComparison.OrdinalIgnoreCase) && (text.Length == word.Length || char.IsWhiteSpace(text[word.Length]));

    private static string Blank(string text, List<(int Start, int End)> ranges)
    {
        var chars = text.ToCharArray();
        foreach (var (start, end) in ranges)
        {
            for (var i = start; i < end; i++)
            {
                if (chars[i] != '\n' && chars[i] != '\r')
                {
                    chars[i] = ' ';
                }
            }
        }

        return new string(chars);
    }
}
