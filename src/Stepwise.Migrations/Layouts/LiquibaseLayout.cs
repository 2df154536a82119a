using System.Text.RegularExpressions;
using Stepwise.Engines;

namespace Stepwise.Migrations.Layouts;

/// <summary>
/// Liquibase formatted SQL: <c>.sql</c> changelogs whose first line is <c>--liquibase formatted sql</c>, each holding
/// one or more changesets opened by <c>--changeset author:id [attributes]</c>. Every changeset is a migration,
/// identified as Liquibase identifies it (<c>author:id</c>), ordered by file name (as <c>includeAll</c> does) then
/// position in the file; its <c>--rollback …</c> lines are its down; <c>runInTransaction:false</c> runs it outside a
/// transaction. History: <c>databasechangelog</c>, a row per changeset run (its <c>author</c> and <c>id</c>).
/// </summary>
internal sealed partial class LiquibaseLayout : IMigrationLayout
{
    public string Name => "liquibase";

    public string Looks => "*.sql starting '--liquibase formatted sql' (Liquibase)";

    public ForeignTool? History { get; } = new("liquibase", new ForeignHistory("liquibase", "databasechangelog", "author", []) { MoreColumns = ["id"] }, ForeignMatch.Versions);

    // --changeset author:id attributes… (the author may hold spaces when quoted; the common form has none)
    [GeneratedRegex(@"^--[ \t]*changeset[ \t]+(?:""([^""]+)""|([^:\s]+)):(\S+)(.*)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ChangesetLine();

    [GeneratedRegex(@"runInTransaction:false", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NoTransaction();

    public LayoutDetection? Detect(FolderScan scan)
    {
        var count = scan.FileNames().Count(n => FileNamePatterns.IsSqlFile(n) && IsChangelog(scan.PeekText(n)));
        return count == 0 ? null : new LayoutDetection(LayoutDetection.Names, count, $"found {UpDownLayout.Files(count, "file")} starting '--liquibase formatted sql'");
    }

    /// <summary>A version is <c>author:id</c>, as the changeset line and the history name it.</summary>
    public VersionKey ParseVersion(string version) => VersionKey.Named(version);

    public List<Migration> Load(FolderScan scan)
    {
        var migrations = new List<Migration>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in scan.FileNames().Where(FileNamePatterns.IsSqlFile))
        {
            if (!IsChangelog(scan.PeekText(name)))
            {
                scan.Warning(name, "does not start with '--liquibase formatted sql'; Liquibase does not read it as a formatted SQL changelog, so it is ignored");
                continue;
            }

            if (scan.ReadScript(name) is not { } file)
            {
                continue;
            }

            var changesets = Changesets(file.Text);
            if (changesets.Count == 0)
            {
                scan.Error(name, "has no '--changeset author:id' line; Liquibase runs nothing from it");
                continue;
            }

            foreach (var set in changesets)
            {
                if (seen.TryGetValue(set.Version, out var other))
                {
                    scan.Error(name, $"changeset {set.Version} is also in {scan.DisplayPath(other)}; Stepwise journals a changeset by author:id, so they must differ");
                    continue;
                }

                seen.Add(set.Version, name);
                var reason = set.NoTransaction ? $"runInTransaction:false on '--changeset {set.Version}'" : null;
                migrations.Add(new Migration
                {
                    Version = set.Version,
                    Name = set.Id,
                    OrderKey = VersionKey.Position(migrations.Count), // file order, then position in the file
                    Up = Scripts.From(file, BlankDirectives(Keep(file.Text, [(set.Start, set.End)])), reason, null),
                    Down = set.Rollback.Count == 0 ? null : Scripts.From(file, Keep(file.Text, set.Rollback), reason, null),
                });
            }
        }

        return migrations;
    }

    public NewMigration? New(FolderLoadResult folder, DateTime time, string name, string description)
    {
        var version = UpDownLayout.Timestamp(time);
        var id = $"{version}-{name}";
        return new NewMigration($"stepwise:{id}", [($"{version}_{name}.sql", $"--liquibase formatted sql\n\n--changeset stepwise:{id}\n-- {description}\n\n--rollback -- undo {description}\n")]);
    }

    private sealed record Changeset(string Version, string Id, int Start, int End, bool NoTransaction, List<(int Start, int End)> Rollback);

    private static bool IsChangelog(string? text)
    {
        if (text is null)
        {
            return false;
        }

        var first = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return first.StartsWith("--", StringComparison.Ordinal) && first[2..].TrimStart().StartsWith("liquibase formatted sql", StringComparison.OrdinalIgnoreCase);
    }

    // Each changeset runs from its line to the next changeset line; '--rollback x' lines inside it are its down.
    private static List<Changeset> Changesets(string text)
    {
        var sets = new List<Changeset>();
        var start = 0;
        while (start < text.Length)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline;
            var line = text[start..end].TrimEnd('\r');
            var m = ChangesetLine().Match(line);
            if (m.Success)
            {
                if (sets.Count > 0)
                {
                    sets[^1] = sets[^1] with { End = start };
                }

                var author = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
                var id = m.Groups[3].Value;
                sets.Add(new Changeset($"{author}:{id}", id, start, text.Length, NoTransaction().IsMatch(m.Groups[4].Value), []));
            }
            else if (sets.Count > 0 && line.StartsWith("--", StringComparison.Ordinal))
            {
                var body = line[2..].TrimStart();
                if (body.StartsWith("rollback", StringComparison.OrdinalIgnoreCase) && (body.Length == 8 || char.IsWhiteSpace(body[8])))
                {
                    var payload = body[8..].Trim();
                    if (payload.Length > 0 && !payload.Equals("not required", StringComparison.OrdinalIgnoreCase) && !payload.Equals("empty", StringComparison.OrdinalIgnoreCase))
                    {
                        sets[^1].Rollback.Add((start + (line.Length - body.Length) + 8, start + line.Length));
                    }
                }
            }

            start = end + 1;
        }

        return sets;
    }

    // Liquibase's own lines ('--changeset …', '--rollback …', '--comment: …', '--precondition-…') are no comments to
    // MySQL/MariaDB, which need a space after '--': the up text gets them blanked (positions kept)
    private static string BlankDirectives(string text)
    {
        var chars = text.ToCharArray();
        var start = 0;
        while (start < chars.Length)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? chars.Length : newline;
            var first = start;
            while (first < end && chars[first] is ' ' or '\t')
            {
                first++;
            }

            if (first + 2 < end && chars[first] == '-' && chars[first + 1] == '-' && char.IsLetter(chars[first + 2]))
            {
                Array.Fill(chars, ' ', first, end - first);
            }

            start = end + 1;
        }

        return new string(chars);
    }

    // the text with everything outside the ranges blanked to spaces (line breaks kept), so positions match the file
    private static string Keep(string text, List<(int Start, int End)> ranges)
    {
        var chars = text.ToCharArray();
        var keep = new bool[chars.Length];
        foreach (var (s, e) in ranges)
        {
            Array.Fill(keep, true, s, e - s);
        }

        for (var i = 0; i < chars.Length; i++)
        {
            if (!keep[i] && chars[i] is not '\n' and not '\r')
            {
                chars[i] = ' ';
            }
        }

        return new string(chars);
    }
}
