using System.Text;
using Stepwise.Analysis;
using Stepwise.Migrations.Layouts;
using Stepwise.Sql;

namespace Stepwise.Migrations;

/// <summary>What `stepwise lint` was asked to read, turned into lint inputs in apply order.</summary>
public sealed class LintSources
{
    public List<LintInput> Inputs { get; } = [];

    /// <summary>Problems that make the run a usage/input error (exit 2): missing paths and the like.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Layout problems found in folders, reported but not fatal (a duplicate version is an error
    /// finding, not a crash).</summary>
    public List<LayoutProblem> Problems { get; } = [];

    /// <summary>The dialect a folder declares (Prisma's migration_lock.toml), if any.</summary>
    public SqlDialect? DialectHint { get; private set; }

    /// <summary>Folders found, with the layout each was read as and why.</summary>
    public List<(string Folder, LayoutKind Layout, string Because)> Folders { get; } = [];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads paths as the user gave them: folders (layout detected or forced), .sql files, or "-"
    /// for standard input.</summary>
    public static LintSources Read(IReadOnlyList<string> paths, LayoutKind? layout, Func<TextReader> stdin)
    {
        var sources = new LintSources();
        foreach (var path in paths)
        {
            if (path == "-")
            {
                var text = stdin().ReadToEnd();
                if (text.Length > 0 && text[0] == '\uFEFF')
                {
                    text = text[1..];
                }

                sources.Inputs.Add(new LintInput(new SourceText(text, "-")) { ReadError = text.Contains('\0', StringComparison.Ordinal) ? "standard input is binary data, not SQL text" : null });
                continue;
            }

            if (Directory.Exists(path))
            {
                sources.AddFolder(path, layout);
            }
            else if (File.Exists(path))
            {
                sources.Inputs.Add(ReadFile(path));
            }
            else
            {
                sources.Errors.Add($"no such file or folder: {path}");
            }
        }

        return sources;
    }

    private void AddFolder(string path, LayoutKind? layout)
    {
        var folder = MigrationFolder.Load(path, layout);
        Folders.Add((path, folder.Layout, folder.DetectedBecause));
        DialectHint ??= folder.DialectHint;
        Problems.AddRange(folder.Problems);
        foreach (var migration in folder.Migrations)
        {
            Inputs.Add(ToInput(migration.Up, isDown: false));
            if (migration.Down is { } down)
            {
                Inputs.Add(ToInput(down, isDown: true));
            }
        }
    }

    private static LintInput ToInput(MigrationScript script, bool isDown) =>
        new(new SourceText(script.Text, script.Path))
        {
            IsDown = isDown,
            NoTransaction = script.NoTransaction,
            BreakpointComment = script.BreakpointComment,
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
