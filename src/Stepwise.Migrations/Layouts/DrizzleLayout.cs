using System.Text.Json;
using Stepwise.Sql;

namespace Stepwise.Migrations.Layouts;

/// <summary>
/// Drizzle Kit: <c>{tag}.sql</c> files (usually <c>NNNN_name.sql</c>) applied in the order of
/// <c>meta/_journal.json</c>'s entries; statements are separated by <c>--> statement-breakpoint</c>.
/// Drizzle applies an entry only when its <c>when</c> is greater than the last applied one's, so an
/// entry whose <c>when</c> does not increase is silently skipped: reported as an error here.
/// </summary>
internal static class DrizzleLayout
{
    public const string JournalPath = "meta/_journal.json";

    private sealed record JournalEntry(int Position, string Tag, long? When);

    public static List<Migration> Load(FolderScan scan)
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
