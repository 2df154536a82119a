using System.Text;
using Stepwise.Analysis;
using Stepwise.Migrations.Layouts;
using Stepwise.Sql;

namespace Stepwise.Migrations;

/// <summary>What `stepwise lint` was asked to read, turned into lint inputs in apply order.</summary>
public sealed class LintSources
{
    /// <summary>What to lint, in replay order (each down right after its up, never replayed as history).</summary>
    public List<LintInput> Inputs { get; } = [];

    /// <summary>Problems that make the run a usage/input error (exit 2): missing paths and the like.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Layout problems found in folders, reported but not fatal (a duplicate version is an error
    /// finding, not a crash).</summary>
    public List<LayoutProblem> Problems { get; } = [];

    /// <summary>The dialect a folder declares (Prisma's migration_lock.toml), if any.</summary>
    public SqlDialect? DialectHint { get; private set; }

    private SqlDialect? _dialect;

    /// <summary>Folders found, with the layout each was read as and why.</summary>
    public List<(string Folder, LayoutKind Layout, string Because)> Folders { get; } = [];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads paths as the user gave them: folders (layout detected or forced), .sql files, or "-"
    /// for standard input. Folders come first, each in its layout's order. Files and standard input follow,
    /// ordered by the version their names carry (<see cref="LooseFileName"/>; files without one last, as
    /// given); a down file (by name, or a down section of a goose/sql-migrate/dbmate/Liquibase file) comes
    /// right after the up of its version, so it is linted on the schema that up left and never replayed.
    /// Empty standard input is an error: the command that should have written SQL printed nothing.</summary>
    public static LintSources Read(IReadOnlyList<string> paths, LayoutKind? layout, Func<TextReader> stdin) => Read(paths, layout, stdin, null);

    /// <summary>Like <see cref="Read(IReadOnlyList{string}, LayoutKind?, Func{TextReader})"/> for a chosen
    /// <paramref name="dialect"/> (<c>--dialect</c>, stepwise.toml): a folder with files per dialect (pop) gives that dialect's.</summary>
    public static LintSources Read(IReadOnlyList<string> paths, LayoutKind? layout, Func<TextReader> stdin, SqlDialect? dialect)
    {
        var sources = new LintSources { _dialect = dialect };
        var loose = new List<(LintInput Input, VersionKey? Version, int Order)>();
        foreach (var path in paths)
        {
            if (path == "-")
            {
                var text = stdin().ReadToEnd();
                if (text.Length > 0 && text[0] == '\uFEFF')
                {
                    text = text[1..];
                }

                if (string.IsNullOrWhiteSpace(text))
                {
                    sources.Errors.Add("standard input is empty: the command piped into `stepwise lint -` wrote no SQL (did it fail?)");
                    continue;
                }

                if (text.Contains('\0', StringComparison.Ordinal))
                {
                    loose.Add((new LintInput(new SourceText(text, "-")) { ReadError = "standard input is binary data, not SQL text" }, null, loose.Count));
                    continue;
                }

                AddLoose(loose, new LintInput(new SourceText(text, "-")) { FromStandardInput = true }, new LooseFileName(null, false));
                continue;
            }

            if (Directory.Exists(path))
            {
                if (layout is null && !MigrationFolder.IsRecognised(path))
                {
                    sources.AddUnrecognisedFolder(path, loose);
                }
                else
                {
                    sources.AddFolder(path, layout);
                }
            }
            else if (File.Exists(path))
            {
                var input = ReadFile(path);
                var name = LooseFileName.Of(path);
                if (input.ReadError is not null)
                {
                    loose.Add((input, name.Version, loose.Count));
                }
                else
                {
                    AddLoose(loose, input, name);
                }
            }
            else
            {
                sources.Errors.Add($"no such file or folder: {path}");
            }
        }

        // stable: an up before the down of its version, then the order given
        sources.Inputs.AddRange(loose
            .OrderBy(l => l.Version is null ? 1 : 0)
            .ThenBy(l => l.Version)
            .ThenBy(l => l.Input.IsDown ? 1 : 0)
            .ThenBy(l => l.Order)
            .Select(l => l.Input));
        return sources;
    }

    /// <summary>A file given on its own: a down by its name, or split into its up and down sections.</summary>
    private static void AddLoose(List<(LintInput Input, VersionKey? Version, int Order)> loose, LintInput input, LooseFileName name)
    {
        var order = loose.Count;
        var version = name.Version?.ToString();
        if (ScriptSections.Split(input.Source.Text) is { } sections)
        {
            loose.Add((input with { Source = new SourceText(sections.Up, input.Source.Path), NoTransaction = sections.UpNoTransaction is not null, IsDown = name.IsDown, Version = version }, name.Version, order));
            if (sections.Down is { } down)
            {
                loose.Add((input with { Source = new SourceText(down, input.Source.Path), NoTransaction = sections.DownNoTransaction is not null, IsDown = true, Version = version }, name.Version, order));
            }

            return;
        }

        loose.Add((input with { IsDown = name.IsDown, Version = version }, name.Version, order));
    }

    /// <summary>A folder no layout recognises is still linted: its .sql files one by one in name order (a file
    /// whose name carries a version by that version, a down after its up), with one note saying so.</summary>
    private void AddUnrecognisedFolder(string path, List<(LintInput Input, VersionKey? Version, int Order)> loose)
    {
        var files = Directory.EnumerateFiles(path, "*.sql").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            AddFolder(path, null); // empty, or nothing SQL: the layout reader says which
            return;
        }

        const string Because = "no migration layout recognised: its .sql files are linted one by one in name order";
        Folders.Add((path, LayoutKind.Stepwise, Because));
        Problems.Add(new LayoutProblem(path, $"{Because} ({files.Count} file(s); pass --layout to read it as a tool's folder)", ProblemSeverity.Note));
        foreach (var file in files)
        {
            var input = ReadFile(file);
            var name = LooseFileName.Of(file);
            if (input.ReadError is not null)
            {
                loose.Add((input, name.Version, loose.Count));
            }
            else
            {
                AddLoose(loose, input, name);
            }
        }
    }

    private void AddFolder(string path, LayoutKind? layout)
    {
        var folder = MigrationFolder.Load(path, layout, _dialect);
        Folders.Add((path, folder.Layout, folder.DetectedBecause));
        DialectHint ??= folder.DialectHint;
        Problems.AddRange(folder.Problems);
        foreach (var migration in folder.Migrations)
        {
            var version = migration.Kind == MigrationKind.Repeatable ? null : migration.OrderKey.ToString();
            Inputs.Add(ToInput(migration.Up, isDown: false, version));
            if (migration.Down is { } down)
            {
                Inputs.Add(ToInput(down, isDown: true, version));
            }
        }
    }

    private static LintInput ToInput(MigrationScript script, bool isDown, string? version) =>
        new(new SourceText(script.Text, script.Path))
        {
            IsDown = isDown,
            NoTransaction = script.NoTransaction,
            BreakpointComment = script.BreakpointComment,
            Version = version,
        };

    /// <summary>Reads one file as strict UTF-8 (a BOM is dropped); a file that is not text becomes an input
    /// with a read error, so it is reported as a finding and the run goes on.</summary>
    public static LintInput ReadFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new LintInput(new SourceText(string.Empty, path)) { ReadError = $"cannot read {path}: {ex.Message}" };
        }

        if (Array.IndexOf(bytes, (byte)0) >= 0)
        {
            return new LintInput(new SourceText(string.Empty, path)) { ReadError = $"{path} is a binary file, not SQL text" };
        }

        string text;
        try
        {
            var offset = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            text = StrictUtf8.GetString(bytes, offset, bytes.Length - offset);
        }
        catch (DecoderFallbackException)
        {
            return new LintInput(new SourceText(string.Empty, path)) { ReadError = $"{path} is not UTF-8 text (convert it with iconv -t UTF-8)" };
        }

        return new LintInput(new SourceText(text, path)) { NoTransaction = false };
    }
}
