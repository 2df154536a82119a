using System.Security.Cryptography;
using System.Text;
using Stepwise.Engines;

namespace Stepwise.Migrations.Layouts;

/// <summary>
/// Atlas (ariga/atlas) versioned migrations: <c>{version}_{name}.sql</c> files directly in the folder, applied in
/// file-name order, and <c>atlas.sum</c>, the directory's integrity file, which Atlas refuses to run without when
/// the sums do not match (see <see cref="AtlasSum"/>). <c>-- atlas:txmode none</c> runs a file outside a
/// transaction. Atlas keeps no down files. History: <c>atlas_schema_revisions</c> (on PostgreSQL in the schema of
/// the same name), a row per version, counted when all its statements ran (<c>applied = total</c>); rows whose
/// version starts with '.' (<c>.atlas_cloud_identifier</c>) are Atlas's bookkeeping.
/// </summary>
internal sealed class AtlasLayout : IMigrationLayout
{
    public string Name => "atlas";

    public string Looks => "{version}_{name}.sql with atlas.sum (Atlas)";

    public ForeignTool? History { get; } = new("atlas",
        new ForeignHistory("atlas", "atlas_schema_revisions", "version",
        [
            new HistoryCondition("applied", HistoryTest.EqualsColumn) { Value = "total" },
            new HistoryCondition("version", HistoryTest.DoesNotStartWith) { Value = "." },
        ]) { PostgresSchema = "atlas_schema_revisions" },
        ForeignMatch.Versions);

    /// <summary>atlas.sum, unless the files are another tool's: Atlas also writes golang-migrate, goose, Flyway,
    /// Liquibase and dbmate folders (<c>?format=</c>) with an atlas.sum beside them; those stay that tool's.</summary>
    public LayoutDetection? Detect(FolderScan scan) =>
        scan.FileExists(AtlasSum.FileName) && !LayoutRegistry.Layouts.Any(l => l != this && l.Detect(scan) is { Tier: >= LayoutDetection.Names })
            ? new LayoutDetection(LayoutDetection.Marker, 1, "found atlas.sum, the Atlas migration directory's integrity file")
            : null;

    /// <summary>Atlas compares versions as text: files are applied in name order.</summary>
    public VersionKey ParseVersion(string version) => VersionKey.Named(version);

    public List<Migration> Load(FolderScan scan)
    {
        var files = scan.FileNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)).ToList();
        var read = new List<ScriptFile>();
        var byKey = new SortedDictionary<VersionKey, string>();
        foreach (var name in files)
        {
            var version = Version(name);
            SectionFiles.Add(scan, byKey, ParseVersion(version), version, name);
            if (scan.ReadScript(name) is { } file)
            {
                read.Add(file);
            }
        }

        AtlasSum.Verify(scan, read);
        var migrations = new List<Migration>();
        foreach (var file in read)
        {
            var version = Version(file.RelativePath);
            if (byKey.TryGetValue(ParseVersion(version), out var owner) && owner == file.RelativePath)
            {
                var stem = file.RelativePath[..^4];
                migrations.Add(new Migration
                {
                    Version = version,
                    Name = stem.Length > version.Length ? stem[(version.Length + 1)..] : stem,
                    OrderKey = ParseVersion(version),
                    Up = Scripts.From(file),
                });
            }
        }

        return migrations;
    }

    public NewMigration? New(FolderLoadResult folder, DateTime time, string name, string description)
    {
        var version = UpDownLayout.Timestamp(time);
        var fileName = $"{version}_{name}.sql";
        var content = $"-- {description}\n";
        var existing = new List<(string Name, byte[] Bytes)>();
        foreach (var m in folder.Migrations)
        {
            var path = Path.Combine(folder.Folder, m.Up.Path[(m.Up.Path.LastIndexOf('/') + 1)..]);
            existing.Add((Path.GetFileName(path), m.Up.FileBytes.ToArray()));
        }

        existing.Add((fileName, Encoding.UTF8.GetBytes(content)));
        return new NewMigration(version, [(fileName, content)], (AtlasSum.FileName, AtlasSum.Write(existing)));
    }

    // Atlas: the part of the name before the first '_' (the whole stem when there is none)
    private static string Version(string name)
    {
        var stem = name[..^4];
        var underscore = stem.IndexOf('_', StringComparison.Ordinal);
        return underscore < 0 ? stem : stem[..underscore];
    }
}

/// <summary>
/// <c>atlas.sum</c> as Atlas writes it (sql/migrate/dir.go, <c>NewHashFile</c> and <c>MarshalText</c>): one SHA-256
/// runs over the .sql files in name order, fed each file's name then its bytes; after each file its state so far,
/// base64, is that file's line <c>{name} h1:{hash}</c>. The first line, <c>h1:{sum}</c>, is the SHA-256 of every
/// line's name and hash concatenated. A changed file therefore changes its own line and every line after it.
/// </summary>
internal static class AtlasSum
{
    public const string FileName = "atlas.sum";

    /// <summary>The lines Atlas writes for these files (name order is the caller's).</summary>
    public static List<(string Name, string Hash)> Compute(IEnumerable<(string Name, byte[] Bytes)> files)
    {
        using var running = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var lines = new List<(string, string)>();
        foreach (var (name, bytes) in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            running.AppendData(Encoding.UTF8.GetBytes(name));
            running.AppendData(bytes);
            lines.Add((name, Convert.ToBase64String(running.GetCurrentHash())));
        }

        return lines;
    }

    /// <summary>The first line's sum over the file lines.</summary>
    public static string Sum(IEnumerable<(string Name, string Hash)> lines)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, hash) in lines)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name));
            sha.AppendData(Encoding.UTF8.GetBytes(hash));
        }

        return Convert.ToBase64String(sha.GetCurrentHash());
    }

    /// <summary>The whole atlas.sum text for these files.</summary>
    public static string Write(IEnumerable<(string Name, byte[] Bytes)> files)
    {
        var lines = Compute(files);
        var text = new StringBuilder("h1:").Append(Sum(lines)).Append('\n');
        foreach (var (name, hash) in lines)
        {
            text.Append(name).Append(" h1:").Append(hash).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Checks atlas.sum against the files read, as <c>atlas migrate validate</c> does; every mismatch is an
    /// error naming the file concerned (Atlas refuses to apply a folder whose sum does not match).</summary>
    public static void Verify(FolderScan scan, IReadOnlyList<ScriptFile> files)
    {
        if (!scan.FileExists(FileName))
        {
            if (files.Count > 0)
            {
                scan.Error(FileName, "is missing; Atlas refuses a migration directory without its sum file (run `atlas migrate hash`)");
            }

            return;
        }

        var text = scan.PeekText(FileName);
        if (text is null)
        {
            scan.Error(FileName, "cannot be read");
            return;
        }

        var recorded = new List<(string Name, string Hash)>();
        var rows = text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        var first = rows[0].StartsWith("h1:", StringComparison.Ordinal) ? rows[0][3..] : null;
        foreach (var row in rows.Skip(1).Where(r => r.Length > 0))
        {
            var at = row.IndexOf("h1:", StringComparison.Ordinal);
            if (at < 0)
            {
                scan.Error(FileName, $"is not in Atlas's format: line '{row}' has no 'h1:' hash");
                return;
            }

            recorded.Add((row[..at].Trim(), row[(at + 3)..]));
        }

        if (first is null || first != Sum(recorded))
        {
            scan.Error(FileName, "its first line (the sum of all its lines) does not match the lines below it; the file was edited by hand (run `atlas migrate hash`)");
            return;
        }

        var actual = Compute(files.Select(f => (f.RelativePath, f.Bytes)));
        var recordedNames = recorded.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, _) in actual.Where(a => !recordedNames.Contains(a.Name)))
        {
            scan.Error(name, "is not listed in atlas.sum: it was added without `atlas migrate hash`, so Atlas refuses the directory");
        }

        var actualNames = actual.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, _) in recorded.Where(r => !actualNames.Contains(r.Name)))
        {
            scan.Error(FileName, $"lists {name}, which is not in the folder");
        }

        // the hash runs through the files in order: the first line that differs names the file that changed
        var mismatch = actual.FirstOrDefault(a => recorded.Any(r => r.Name == a.Name && r.Hash != a.Hash));
        if (mismatch.Name is not null && recorded.Count == actual.Count && recordedNames.SetEquals(actualNames))
        {
            scan.Error(mismatch.Name, "does not match its hash in atlas.sum: it was changed after atlas.sum was written, so Atlas refuses the directory (run `atlas migrate hash` if the change is intended)");
        }
    }
}
