namespace Stepwise.Sql.Tests.Differential;

/// <summary>Finds the repository root (the folder holding Stepwise.slnx) and the PostgreSQL .sql files in it.</summary>
internal static class RepoFiles
{
    public const string CorpusFolder = "tests/Stepwise.Sql.Tests/Corpus/postgres";

    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    private const string CorpusKeyPrefix = "corpus:";

    /// <summary>A short name for test display: corpus files lose their long common prefix.</summary>
    public static string ToKey(string relativePath) =>
        IsCorpus(relativePath) ? CorpusKeyPrefix + relativePath[(CorpusFolder.Length + 1)..] : relativePath;

    public static string FromKey(string key) =>
        key.StartsWith(CorpusKeyPrefix, StringComparison.Ordinal) ? CorpusFolder + "/" + key[CorpusKeyPrefix.Length..] : key;

    /// <summary>Relative paths resolve under the repository root; absolute ones (extra folders) stay as they are.</summary>
    public static string Full(string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(Root, path.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>
    /// Absolute paths of the .sql files under the folders named in STEPWISE_PG_DIFF_DIRS (separated by the
    /// path separator), so any migrations folder can be checked against PostgreSQL by hand.
    /// </summary>
    public static IReadOnlyList<string> ExtraSqlFiles()
    {
        var dirs = Environment.GetEnvironmentVariable("STEPWISE_PG_DIFF_DIRS");
        if (string.IsNullOrWhiteSpace(dirs))
        {
            return [];
        }

        return dirs.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(Path.GetFullPath(d), "*.sql", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public static bool IsCorpus(string relativePath) => relativePath.StartsWith(CorpusFolder + "/", StringComparison.Ordinal);

    /// <summary>Every .sql under examples/ and tests/ that is meant for PostgreSQL, as sorted '/'-separated relative paths.</summary>
    public static IReadOnlyList<string> PostgresSqlFiles()
    {
        var files = new List<string>();
        foreach (var top in new[] { "examples", "tests" })
        {
            var dir = Path.Combine(Root, top);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(dir, "*.sql", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/');
                if (!IsBuildOutput(relative) && IsPostgres(file, relative))
                {
                    files.Add(relative);
                }
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static bool IsBuildOutput(string relative) =>
        relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal);

    // Files for other dialects say so in their path or in a config file above them.
    private static bool IsPostgres(string file, string relative)
    {
        if (MentionsOtherDialect(relative))
        {
            return false;
        }

        for (var dir = Path.GetDirectoryName(file); dir is not null && dir.Length >= Root.Length; dir = Path.GetDirectoryName(dir))
        {
            foreach (var config in new[] { "stepwise.toml", "migration_lock.toml" })
            {
                var path = Path.Combine(dir, config);
                if (File.Exists(path))
                {
                    foreach (var line in File.ReadLines(path))
                    {
                        var trimmed = line.Trim();
                        if ((trimmed.StartsWith("dialect", StringComparison.OrdinalIgnoreCase)
                             || trimmed.StartsWith("provider", StringComparison.OrdinalIgnoreCase))
                            && MentionsOtherDialect(trimmed))
                        {
                            return false;
                        }
                    }
                }
            }
        }

        return true;
    }

    private static bool MentionsOtherDialect(string s) =>
        s.Contains("mysql", StringComparison.OrdinalIgnoreCase)
        || s.Contains("mariadb", StringComparison.OrdinalIgnoreCase)
        || s.Contains("sqlite", StringComparison.OrdinalIgnoreCase);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Stepwise.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Stepwise.slnx not found above " + AppContext.BaseDirectory);
    }
}
