using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Stepwise.Migrations.Tests.Transcripts;

/// <summary>
/// The lines a scenario produced (engine calls, runner events, results), compared with an approved file
/// <c>approved/&lt;scenario&gt;.txt</c>. When they differ the test fails with a diff and writes
/// <c>&lt;scenario&gt;.received.txt</c> beside it; <c>STEPWISE_APPROVE=1</c> rewrites the approved file instead.
/// </summary>
internal sealed partial class Transcript
{
    private readonly List<string> _lines = [];
    private readonly List<(string From, string To)> _scrub = [];

    public IReadOnlyList<string> Lines => _lines;

    public void Add(string line)
    {
        foreach (var (from, to) in _scrub)
        {
            line = line.Replace(from, to, StringComparison.Ordinal);
        }

        _lines.Add(line);
    }

    /// <summary>Replaces machine-specific text (the temp folder) in every later line.</summary>
    public void Scrub(string from, string to) => _scrub.Add((from, to));

    public override string ToString() => string.Join("\n", _lines) + "\n";

    /// <summary>A duration as a person writes it: 500ms, 30s, 15min, 0.</summary>
    public static string Duration(TimeSpan t) =>
        t == TimeSpan.Zero ? "0"
        : t.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{(long)t.TotalMinutes}min"
        : t.Ticks % TimeSpan.TicksPerSecond == 0 ? $"{(long)t.TotalSeconds}s"
        : string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds}ms");

    /// <summary>SQL on one line: runs of whitespace become one space.</summary>
    public static string OneLine(string sql) => Whitespace().Replace(sql.Trim(), " ");

    /// <summary>Compares with the approved file; see the class summary.</summary>
    public void Verify(string scenario, [CallerFilePath] string sourceFile = "")
    {
        var folder = ApprovedFolder(sourceFile);
        var approvedPath = Path.Combine(folder, scenario + ".txt");
        var receivedPath = Path.Combine(folder, scenario + ".received.txt");
        var received = ToString();
        if (Environment.GetEnvironmentVariable("STEPWISE_APPROVE") == "1")
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(approvedPath, received);
            File.Delete(receivedPath);
            return;
        }

        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        if (string.Equals(approved, received, StringComparison.Ordinal))
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, received);
        var why = approved is null
            ? $"no approved transcript {approvedPath}; received:\n{received}"
            : $"transcript differs from {approvedPath} (- approved, + received):\n{Diff(approved, received)}";
        Assert.Fail(why + $"\nWrote {receivedPath}. If the change is intended, run the tests with STEPWISE_APPROVE=1 and commit the approved file.");
    }

    /// <summary>A line diff (longest common subsequence), with two lines of context around each change.</summary>
    internal static string Diff(string approved, string received)
    {
        var a = approved.TrimEnd('\n').Split('\n');
        var b = received.TrimEnd('\n').Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var ops = new List<(char Op, string Line)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                ops.Add((' ', a[x++]));
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                ops.Add(('+', b[y++]));
            }
            else
            {
                ops.Add(('-', a[x++]));
            }
        }

        var sb = new StringBuilder();
        var lastShown = -1;
        for (var k = 0; k < ops.Count; k++)
        {
            var near = Enumerable.Range(Math.Max(0, k - 2), Math.Min(ops.Count, k + 3) - Math.Max(0, k - 2)).Any(n => ops[n].Op != ' ');
            if (!near)
            {
                continue;
            }

            if (lastShown >= 0 && k > lastShown + 1)
            {
                sb.Append("  ...\n");
            }

            sb.Append(ops[k].Op).Append(' ').Append(ops[k].Line).Append('\n');
            lastShown = k;
        }

        return sb.ToString();
    }

    /// <summary>The approved folder in the source tree: next to this file, or found from the test's output folder.</summary>
    private static string ApprovedFolder(string sourceFile)
    {
        var besideSource = Path.Combine(Path.GetDirectoryName(sourceFile) ?? string.Empty, "approved");
        if (sourceFile.Length > 0 && Directory.Exists(Path.GetDirectoryName(sourceFile)))
        {
            return besideSource;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Stepwise.Migrations.Tests", "Transcripts");
            if (Directory.Exists(candidate))
            {
                return Path.Combine(candidate, "approved");
            }
        }

        throw new DirectoryNotFoundException("cannot find tests/Stepwise.Migrations.Tests/Transcripts from " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
