using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stepwise.Sql;

namespace Stepwise.Migrations.Layouts;

/// <summary>
/// Drizzle Kit: <c>{tag}.sql</c> files (usually <c>NNNN_name.sql</c>) applied in the order of
/// <c>meta/_journal.json</c>'s entries; statements are separated by <c>--> statement-breakpoint</c>.
/// Drizzle applies an entry only when its <c>when</c> is greater than the last applied one's, so an
/// entry whose <c>when</c> does not increase is silently skipped: reported as an error here.
/// </summary>
internal sealed class DrizzleLayout : IMigrationLayout
{
    public const string JournalPath = "meta/_journal.json";

    private sealed record JournalEntry(int Position, string Tag, long? When);

    public string Name => "drizzle";

    public IReadOnlyList<string> Aliases => ["drizzle-kit"];

    public string Looks => $"NNNN_tag.sql listed in {JournalPath} (Drizzle)";

    // created_at is the journal entry's 'when' (ms); on PostgreSQL the table lives in the drizzle schema
    public ForeignTool? History { get; } = new("drizzle", new Engines.ForeignHistory("drizzle", "__drizzle_migrations", "created_at", []) { PostgresSchema = "drizzle" }, ForeignMatch.JournalWhen);

    public LayoutDetection? Detect(FolderScan scan) =>
        scan.FileExists(JournalPath) ? new LayoutDetection(LayoutDetection.Marker, 0, $"found {JournalPath}") : null;

    /// <summary>The next <c>NNNN_name.sql</c> and its journal entry, whose <c>when</c> is later than every other
    /// (drizzle skips an entry whose <c>when</c> does not increase).</summary>
    public NewMigration? New(FolderLoadResult folder, DateTime time, string name, string description)
    {
        var journalFile = Path.Combine(folder.Folder, JournalPath);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(journalFile), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }) as JsonObject ?? [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }

        if (root["entries"] is not JsonArray entries)
        {
            entries = [];
            root["entries"] = entries;
        }

        var last = entries.Count > 0 ? entries[^1] as JsonObject : null;
        var lastWhen = entries.OfType<JsonObject>().Select(e => e["when"] is JsonValue v && v.TryGetValue<long>(out var w) ? w : 0).DefaultIfEmpty(0).Max();
        var when = Math.Max(new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)).ToUnixTimeMilliseconds(), lastWhen + 1);
        var index = entries.Count;
        var version = index.ToString("0000", CultureInfo.InvariantCulture);
        var tag = $"{version}_{name}";
        entries.Add((JsonNode)new JsonObject
        {
            ["idx"] = index,
            ["version"] = last?["version"] is JsonValue known && known.TryGetValue<string>(out var v) ? v : "7",
            ["when"] = when,
            ["tag"] = tag,
            ["breakpoints"] = true,
        });
        var json = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        return new NewMigration(version, [($"{tag}.sql", $"-- {description}\n")], (JournalPath, json));
    }

    public List<Migration> Load(FolderScan scan)
    {
        var entries = ReadJournal(scan);
        return entries is null ? LoadWithoutJournal(scan) : LoadFromJournal(scan, entries);
    }

    private static List<Migration> LoadFromJournal(FolderScan scan, List<JournalEntry> entries)
    {
        var migrations = new List<Migration>();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        JournalEntry? latest = null;
        foreach (var entry in entries)
        {
            var relative = entry.Tag + ".sql";
            if (!listed.Add(relative))
            {
                scan.Error(JournalPath, $"lists tag \"{entry.Tag}\" more than once");
                continue;
            }

            if (entry.When is { } when && latest?.When is { } latestWhen && when <= latestWhen)
            {
                scan.Error(relative, $"has journal when={when}, not later than {latest.Tag} (when={latestWhen}); drizzle applies a migration only if its 'when' is greater than the last applied one, so it silently skips this migration on databases that already ran {latest.Tag}");
            }

            if (entry.When is not null && (latest?.When is null || entry.When > latest.When))
            {
                latest = entry;
            }

            if (!scan.FileExists(relative))
            {
                scan.Error(relative, $"is listed in {JournalPath} (entry {entry.Position}) but the file does not exist; drizzle fails on it");
                continue;
            }

            var file = scan.ReadScript(relative);
            if (file is null)
            {
                continue;
            }

            var (version, name) = FileNamePatterns.SplitNumbered(entry.Tag);
            migrations.Add(new Migration
            {
                Version = version,
                Name = name,
                OrderKey = VersionKey.Position(entry.Position),
                Up = Scripts.From(file, breakpointComment: Scripts.DrizzleBreakpoint),
                JournalWhen = entry.When,
            });
        }

        foreach (var name in scan.FileNames())
        {
            if (FileNamePatterns.IsSqlFile(name) && !listed.Contains(name))
            {
                scan.Error(name, $"is not listed in {JournalPath}, so drizzle never applies it");
            }
        }

        return migrations;
    }

    // Without a usable journal, list NNNN_*.sql in version order so the SQL can still be linted.
    private static List<Migration> LoadWithoutJournal(FolderScan scan)
    {
        var migrations = new List<Migration>();
        foreach (var name in scan.FileNames())
        {
            if (!FileNamePatterns.IsSqlFile(name))
            {
                continue;
            }

            var (version, title) = FileNamePatterns.SplitNumbered(name[..^4]);
            if (!VersionKey.IsDigits(version))
            {
                scan.Warning(name, "is not named like a Drizzle migration (NNNN_tag.sql); it is ignored");
                continue;
            }

            var file = scan.ReadScript(name);
            if (file is not null)
            {
                migrations.Add(new Migration
                {
                    Version = version,
                    Name = title,
                    OrderKey = VersionKey.Numeric(version),
                    Up = Scripts.From(file, breakpointComment: Scripts.DrizzleBreakpoint),
                });
            }
        }

        migrations.Sort((a, b) => a.OrderKey.CompareTo(b.OrderKey));
        return migrations;
    }

    private static List<JournalEntry>? ReadJournal(FolderScan scan)
    {
        if (!scan.FileExists(JournalPath))
        {
            scan.Error(JournalPath, "not found; drizzle applies only the migrations its journal lists (files are listed here by name instead)");
            return null;
        }

        var bytes = scan.ReadBytes(JournalPath);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("entries", out var entriesElement)
                || entriesElement.ValueKind != JsonValueKind.Array)
            {
                scan.Error(JournalPath, "has no \"entries\" array");
                return null;
            }

            if (root.TryGetProperty("dialect", out var dialect) && dialect.ValueKind == JsonValueKind.String)
            {
                scan.DialectHint = dialect.GetString() switch
                {
                    "postgresql" or "pg" or "postgres" => SqlDialect.PostgreSql,
                    "mysql" => SqlDialect.MySql,
                    "sqlite" or "turso" => SqlDialect.Sqlite,
                    _ => null,
                };
            }

            var entries = new List<JournalEntry>();
            var position = 0;
            foreach (var item in entriesElement.EnumerateArray())
            {
                var index = position++;
                if (item.ValueKind != JsonValueKind.Object
                    || !item.TryGetProperty("tag", out var tag)
                    || tag.ValueKind != JsonValueKind.String
                    || string.IsNullOrEmpty(tag.GetString()))
                {
                    scan.Error(JournalPath, $"entry {index} has no \"tag\"");
                    continue;
                }

                long? when = null;
                if (item.TryGetProperty("when", out var whenElement) && whenElement.ValueKind == JsonValueKind.Number && whenElement.TryGetInt64(out var w))
                {
                    when = w;
                }
                else
                {
                    scan.Error(JournalPath, $"entry {index} ({tag.GetString()}) has no numeric \"when\"");
                }

                entries.Add(new JournalEntry(index, tag.GetString()!, when));
            }

            return entries;
        }
        catch (JsonException ex)
        {
            scan.Error(JournalPath, $"is not valid JSON: {ex.Message}");
            return null;
        }
    }
}
