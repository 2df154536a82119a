namespace Stepwise.Migrations.Layouts;

/// <summary>
/// dbmate: one <c>{version}….sql</c> file per migration (version = the leading digits) with a
/// <c>-- migrate:up</c> and a <c>-- migrate:down</c> section; <c>transaction:false</c> on a marker line runs
/// that section outside a transaction. The Up script is the whole file with the down sections blanked to
/// spaces (line breaks kept), and the Down the reverse, so positions in either match the file.
/// Like dbmate, a file may hold several up/down section pairs; every up section then belongs to Up.
/// </summary>
internal sealed class DbmateLayout : IMigrationLayout
{
    private sealed record Marker(int Start, bool IsUp, bool NoTransaction);

    public string Name => "dbmate";

    public string Looks => "{version}_{name}.sql with a '-- migrate:up' line (dbmate)";

    public ForeignTool? History { get; } = ForeignTool.Of("dbmate", "schema_migrations", "version");

    public LayoutDetection? Detect(FolderScan scan)
    {
        var count = 0;
        foreach (var name in scan.FileNames())
        {
            if (!FileNamePatterns.UpDown().IsMatch(name) && FileNamePatterns.Dbmate().IsMatch(name) && HasDbmateMarker(scan.PeekText(name)))
            {
                count++;
            }
        }

        return count == 0 ? null : new LayoutDetection(LayoutDetection.Names, count, $"found {UpDownLayout.Files(count, "file")} with a '-- migrate:up' line");
    }

    public NewMigration? New(FolderLoadResult folder, DateTime time, string name, string description)
    {
        var version = UpDownLayout.Timestamp(time);
        return new NewMigration(version, [($"{version}_{name}.sql", $"-- migrate:up\n-- {description}\n\n-- migrate:down\n-- undo {description}\n")]);
    }

    private static bool HasDbmateMarker(string? text)
    {
        if (text is null)
        {
            return false;
        }

        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("--", StringComparison.Ordinal)
                && line.AsSpan(2).TrimStart().StartsWith("migrate:up", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public List<Migration> Load(FolderScan scan)
    {
        var byVersion = new SortedDictionary<VersionKey, string>();
        foreach (var name in scan.FileNames())
        {
            var m = FileNamePatterns.Dbmate().Match(name);
            if (!m.Success)
            {
                if (FileNamePatterns.IsSqlFile(name))
                {
                    scan.Warning(name, "does not start with a version number, so dbmate ignores it");
                }

                continue;
            }

            var key = VersionKey.Numeric(m.Groups[1].Value);
            if (byVersion.TryGetValue(key, out var existing))
            {
                scan.Error(name, $"duplicate version {m.Groups[1].Value}: {scan.DisplayPath(existing)} has the same version");
                continue;
            }

            byVersion.Add(key, name);
        }

        var migrations = new List<Migration>();
        foreach (var (key, name) in byVersion)
        {
            var file = scan.ReadScript(name);
            if (file is null)
            {
                continue;
            }

            var migration = Split(scan, file, key, FileNamePatterns.Dbmate().Match(name).Groups[1].Value);
            if (migration is not null)
            {
                migrations.Add(migration);
            }
        }

        WarnIfNameOrderDiffers(scan, migrations);
        return migrations;
    }

    private static Migration? Split(FolderScan scan, ScriptFile file, VersionKey key, string version)
    {
        var text = file.Text;
        var markers = FindMarkers(text);
        var firstUp = markers.FindIndex(m => m.IsUp);
        if (firstUp < 0)
        {
            scan.Error(file.RelativePath, "has no '-- migrate:up' line; dbmate requires one");
            return null;
        }

        if (firstUp > 0)
        {
            scan.Error(file.RelativePath, "has '-- migrate:down' before '-- migrate:up'; dbmate requires up first");
        }

        if (HasStatementBefore(text, markers[firstUp].Start))
        {
            scan.Error(file.RelativePath, "has SQL before '-- migrate:up'; dbmate refuses statements outside the sections");
        }

        // Each up marker opens a section that runs to the next up marker and holds one down marker.
        var upRanges = new List<(int Start, int End)>();
        var downRanges = new List<(int Start, int End)>();
        if (firstUp > 0)
        {
            downRanges.Add((markers[0].Start, markers[firstUp].Start));
        }

        var missingDown = false;
        for (var i = firstUp; i < markers.Count;)
        {
            var next = markers.FindIndex(i + 1, m => m.IsUp);
            var sectionEnd = next < 0 ? text.Length : markers[next].Start;
            var downs = markers.Skip(i + 1).Take((next < 0 ? markers.Count : next) - i - 1).ToList();
            if (downs.Count > 1)
            {
                scan.Error(file.RelativePath, "has more than one '-- migrate:down' for one '-- migrate:up'; dbmate refuses it");
            }

            missingDown |= downs.Count == 0;
            var downStart = downs.Count > 0 ? downs[0].Start : sectionEnd;
            upRanges.Add((markers[i].Start, downStart));
            if (downStart < sectionEnd)
            {
                downRanges.Add((downStart, sectionEnd));
            }

            i = next < 0 ? markers.Count : next;
        }

        if (missingDown)
        {
            scan.Error(file.RelativePath, "has no '-- migrate:down' line; dbmate requires one (it may be empty)");
        }

        var ups = markers.Where(m => m.IsUp).ToList();
        var downMarkers = markers.Where(m => !m.IsUp).ToList();
        var (_, name) = FileNamePatterns.SplitNumbered(file.RelativePath[..^4]);
        return new Migration
        {
            Version = version,
            Name = name,
            OrderKey = key,
            Up = Scripts.From(file, Blank(text, downRanges), ups.Any(m => m.NoTransaction) ? "transaction:false on '-- migrate:up'" : null, null),
            Down = downMarkers.Count == 0
                ? null
                : Scripts.From(file, Blank(text, upRanges), downMarkers.Any(m => m.NoTransaction) ? "transaction:false on '-- migrate:down'" : null, null),
        };
    }

    /// <summary>Lines of the form <c>--{spaces}migrate:up|down [options]</c>, at the start of a line.</summary>
    private static List<Marker> FindMarkers(string text)
    {
        var markers = new List<Marker>();
        var start = 0;
        while (start < text.Length)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline;
            var line = text.AsSpan(start, end - start);
            if (line.StartsWith("--", StringComparison.Ordinal))
            {
                var rest = line[2..].TrimStart();
                var isUp = StartsWithWord(rest, "migrate:up");
                if (isUp || StartsWithWord(rest, "migrate:down"))
                {
                    var options = rest[(isUp ? "migrate:up".Length : "migrate:down".Length)..].ToString();
                    markers.Add(new Marker(start, isUp, HasTransactionFalse(options)));
                }
            }

            start = end + 1;
        }

        return markers;
    }

    private static bool StartsWithWord(ReadOnlySpan<char> text, string word) =>
        text.StartsWith(word, StringComparison.Ordinal) && (text.Length == word.Length || char.IsWhiteSpace(text[word.Length]));

    // Options are whitespace-separated key:value pairs; dbmate reads only transaction.
    private static bool HasTransactionFalse(string options)
    {
        foreach (var pair in options.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.Equals("transaction:false", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // dbmate allows only blank lines and '--' comment lines before the first up marker.
    private static bool HasStatementBefore(string text, int end)
    {
        foreach (var line in text[..end].Split('\n'))
        {
            var trimmed = line.AsSpan().Trim();
            if (trimmed.Length > 0 && !trimmed.StartsWith("--", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string Blank(string text, List<(int Start, int End)> ranges)
    {
        if (ranges.Count == 0)
        {
            return text;
        }

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

    private static void WarnIfNameOrderDiffers(FolderScan scan, List<Migration> migrations)
    {
        for (var i = 1; i < migrations.Count; i++)
        {
            var previous = migrations[i - 1].Up.Path;
            var current = migrations[i].Up.Path;
            if (string.CompareOrdinal(previous, current) > 0)
            {
                var name = current[(current.LastIndexOf('/') + 1)..];
                scan.Warning(name, $"dbmate orders files by name, so it runs this before {previous}, which has a lower version; give every version the same number of digits");
                return;
            }
        }
    }
}
