using System.Diagnostics;
using System.Text.Json;

namespace Stepwise.Cli.Tests;

/// <summary>Issue 14 item 4: judge a change on what it adds, with the whole history replayed, and keep
/// suppressions for applied migrations out of their files.</summary>
public sealed class LintChangesTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("stepwise-changes-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_temp, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static List<(string Rule, string Path)> Diagnostics(CliResult r) =>
        [.. JsonDocument.Parse(r.Out).RootElement.GetProperty("diagnostics").EnumerateArray().Select(d => (d.GetProperty("rule").GetString()!, Path.GetFileName(d.GetProperty("path").GetString()!)))];

    // an old migration with a finding nobody will fix (it was applied long ago), and a new one that widens a
    // column the old ones created: judged alone it would be "old type unknown"
    private string History()
    {
        Write("db/20230101000000_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(255));\n");
        Write("db/20230201000000_drop.up.sql", "ALTER TABLE users DROP COLUMN name;\nALTER TABLE users ADD COLUMN name varchar(255);\n");
        return Path.Combine(_temp, "db");
    }

    private static void Git(string dir, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"git {string.Join(' ', args)}: {p.StandardError.ReadToEnd()}");
    }

    [Fact]
    public void Changed_since_reports_only_what_the_change_adds_with_the_history_replayed()
    {
        var db = History();
        Git(_temp, "init", "-q", "-b", "main");
        Git(_temp, "-c", "user.name=t", "-c", "user.email=t@t", "add", ".");
        Git(_temp, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "history");
        Write("db/20240301000000_widen.up.sql", "ALTER TABLE users ALTER COLUMN name TYPE varchar(300);\nCREATE INDEX users_name ON users (name);\n");

        var all = CliRunner.Run("lint", "--format", "json", db);
        Assert.Contains(all.Out.Length > 0 ? Diagnostics(all) : [], d => d.Rule == "drop-column");

        var r = CliRunner.Run("lint", "--format", "json", "--changed-since", "HEAD", db);
        Assert.Equal(1, r.ExitCode);
        var d = Diagnostics(r);
        Assert.Equal([("non-concurrent-index", "20240301000000_widen.up.sql")], d);
    }

    [Fact]
    public void Changed_since_a_ref_that_does_not_exist_is_a_usage_error()
    {
        var db = History();
        Git(_temp, "init", "-q");
        var r = CliRunner.Run("lint", "--changed-since", "no-such-ref", db);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no-such-ref", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_does_the_same_without_git()
    {
        var db = History();
        var added = Write("db/20240301000000_widen.up.sql", "ALTER TABLE users ALTER COLUMN name TYPE varchar(300);\n");
        var r = CliRunner.Run("lint", "--format", "json", "--only", added, db);
        Assert.Equal(0, r.ExitCode);
        Assert.Empty(Diagnostics(r));
    }

    [Fact]
    public void Ignore_entries_in_stepwise_toml_silence_an_applied_file_without_touching_it()
    {
        var db = History();
        var before = File.ReadAllBytes(Path.Combine(db, "20230201000000_drop.up.sql"));
        var config = Write("stepwise.toml",
            "[[ignore]]\nversion = \"20230201000000\"\nrules = [\"drop-column\"]\nreason = \"applied in 2023\"\n\n" +
            "[[ignore]]\nfile = \"20230101000000_users.up.sql\"\nrules = [\"all\"]\nreason = \"nothing to silence here\"\n");

        var r = CliRunner.Run("lint", "--format", "json", "--config", config, db);

        Assert.Equal(0, r.ExitCode);
        // the first entry silences the drop; the second matches a clean file, so it is reported as stale
        Assert.Equal([("unused-suppression", "stepwise.toml")], Diagnostics(r));
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(db, "20230201000000_drop.up.sql")));
    }

    [Fact]
    public void An_ignore_entry_without_a_reason_is_a_config_error()
    {
        var db = History();
        var config = Write("stepwise.toml", "[[ignore]]\nversion = \"20230201000000\"\nrules = [\"drop-column\"]\n");
        var r = CliRunner.Run("lint", "--config", config, db);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("needs reason", r.Error, StringComparison.Ordinal);
    }
}
