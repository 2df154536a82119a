using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Stepwise.Sql;

namespace Stepwise.Migrations.Layouts;

/// <summary>A file read as UTF-8 text: raw bytes for checksums, text (BOM removed) for SQL.</summary>
internal sealed record ScriptFile(string RelativePath, string DisplayPath, byte[] Bytes, string Text);

/// <summary>
/// The filesystem side of loading one folder: listing, reading with every failure turned into a
/// problem, display paths, and the problems collected so far.
/// </summary>
internal sealed class FolderScan
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly List<LayoutProblem> _problems = [];
    private readonly HashSet<string> _unlisted = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Dir, bool Directories), IReadOnlyList<string>> _listed = [];
    private readonly Dictionary<string, string?> _peeked = new(StringComparer.Ordinal);

    public FolderScan(string folder)
    {
        Folder = folder;
    }

    /// <summary>The folder as the user gave it.</summary>
    public string Folder { get; }

    public IReadOnlyList<LayoutProblem> Problems => _problems;

    public SqlDialect? DialectHint { get; set; }

    /// <summary>The dialect the caller targets (<c>--dialect</c>, the database URL), when it knows one: layouts with
    /// files per dialect (pop) read that dialect's.</summary>
    public SqlDialect? Dialect { get; init; }

    public string FolderDisplay => Slashes(Folder.Length == 0 ? "." : Folder);

    /// <summary>The folder as given, joined with a '/'-separated relative path.</summary>
    public string DisplayPath(string relative)
    {
        if (relative.Length == 0)
        {
            return FolderDisplay;
        }

        var folder = FolderDisplay;
        return folder.EndsWith('/') ? folder + relative : folder + "/" + relative;
    }

    public string FullPath(string relative) => relative.Length == 0 ? Folder : Path.Combine(Folder, relative);

    public void Error(string relative, string message) =>
        _problems.Add(new LayoutProblem(DisplayPath(relative), message, ProblemSeverity.Error));

    public void Warning(string relative, string message) =>
        _problems.Add(new LayoutProblem(DisplayPath(relative), message, ProblemSeverity.Warning));

    public void Note(string relative, string message) =>
        _problems.Add(new LayoutProblem(DisplayPath(relative), message, ProblemSeverity.Note));

    public bool FileExists(string relative) => File.Exists(FullPath(relative));

    public bool DirectoryExists(string relative) => Directory.Exists(FullPath(relative));

    /// <summary>File names directly in a subfolder ("" = the folder), sorted ordinally.</summary>
    public IReadOnlyList<string> FileNames(string relativeDir = "") => List(relativeDir, directories: false);

    /// <summary>Subfolder names (hidden ones, starting with '.', left out), sorted ordinally.</summary>
    public IReadOnlyList<string> DirectoryNames(string relativeDir = "") => List(relativeDir, directories: true);

    /// <summary>Every file under the folder as a '/'-separated relative path, sorted ordinally.
    /// Hidden and symbolic-link folders are not entered, so a link cycle cannot loop.</summary>
    public IReadOnlyList<string> AllFiles()
    {
        var found = new List<string>();
        var pending = new Stack<string>();
        pending.Push(string.Empty);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var name in FileNames(dir))
            {
                found.Add(Join(dir, name));
            }

            foreach (var name in DirectoryNames(dir))
            {
                var sub = Join(dir, name);
                if (!IsLink(sub))
                {
                    pending.Push(sub);
                }
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }

    public static string Join(string dir, string name) => dir.Length == 0 ? name : dir + "/" + name;

    /// <summary>Reads a file as UTF-8 text. Null (with a problem recorded) when it cannot be read, is
    /// binary, or is not UTF-8. An empty file is valid and gives empty text.</summary>
    public ScriptFile? ReadScript(string relative)
    {
        var bytes = ReadBytes(relative);
        if (bytes is null)
        {
            return null;
        }

        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            Error(relative, "is UTF-16 text; save it as UTF-8");
            return null;
        }

        if (bytes.AsSpan().IndexOf((byte)0) >= 0)
        {
            Error(relative, "is a binary file (it contains NUL bytes), not SQL text");
            return null;
        }

        var bom = HasUtf8Bom(bytes) ? 3 : 0;
        string text;
        try
        {
            text = s_strictUtf8.GetString(bytes, bom, bytes.Length - bom);
        }
        catch (DecoderFallbackException)
        {
            Error(relative, $"is not UTF-8 text ({DescribeInvalidByte(bytes, bom)}); save it as UTF-8");
            return null;
        }

        return new ScriptFile(relative, DisplayPath(relative), bytes, text);
    }

    /// <summary>Reads raw bytes; null (with a problem recorded) when the file cannot be read.</summary>
    public byte[]? ReadBytes(string relative)
    {
        try
        {
            return File.ReadAllBytes(FullPath(relative));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException or ArgumentException)
        {
            Error(relative, $"cannot be read: {ex.Message}");
            return null;
        }
    }

    /// <summary>Reads text leniently for a quick look during detection (each file once, however many layouts
    /// look); no problem is recorded.</summary>
    public string? PeekText(string relative)
    {
        if (_peeked.TryGetValue(relative, out var known))
        {
            return known;
        }

        string? text;
        try
        {
            text = Encoding.UTF8.GetString(File.ReadAllBytes(FullPath(relative)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException or ArgumentException)
        {
            text = null;
        }

        _peeked[relative] = text;
        return text;
    }

    public static bool HasUtf8Bom(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;

    private IReadOnlyList<string> List(string relativeDir, bool directories)
    {
        if (!_listed.TryGetValue((relativeDir, directories), out var names))
        {
            names = ListNow(relativeDir, directories);
            _listed[(relativeDir, directories)] = names;
        }

        return names;
    }

    private IReadOnlyList<string> ListNow(string relativeDir, bool directories)
    {
        var full = FullPath(relativeDir);
        try
        {
            var names = new List<string>();
            var entries = directories ? Directory.EnumerateDirectories(full) : Directory.EnumerateFiles(full);
            foreach (var entry in entries)
            {
                var name = Path.GetFileName(entry);
                if (directories && name.StartsWith('.'))
                {
                    continue;
                }

                names.Add(name);
            }

            names.Sort(StringComparer.Ordinal);
            return names;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException or ArgumentException)
        {
            // A folder may be listed twice (files, then folders); report it once.
            if (_unlisted.Add(relativeDir))
            {
                Error(relativeDir, $"cannot be listed: {ex.Message}");
            }

            return [];
        }
    }

    private bool IsLink(string relative)
    {
        try
        {
            return new DirectoryInfo(FullPath(relative)).LinkTarget is not null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    private static string Slashes(string path) =>
        Path.DirectorySeparatorChar == '\\' ? path.Replace('\\', '/') : path;

    private static string DescribeInvalidByte(byte[] bytes, int start)
    {
        var source = bytes.AsSpan(start);
        var buffer = new char[source.Length];
        var status = Utf8.ToUtf16(source, buffer, out var read, out _, replaceInvalidSequences: false);
        if (status != OperationStatus.InvalidData)
        {
            return "invalid byte sequence";
        }

        var offset = start + read;
        var line = 1 + bytes.AsSpan(0, offset).Count((byte)'\n');
        return $"invalid byte 0x{bytes[offset]:X2} on line {line}";
    }
}
