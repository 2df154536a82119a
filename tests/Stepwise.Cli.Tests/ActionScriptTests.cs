using System.Diagnostics;
using System.Text.Json;

namespace Stepwise.Cli.Tests;

/// <summary>The GitHub Action's lint step (scripts/action-lint.sh, which action.yml runs) in a temporary git
/// repository with a fake pull-request event: findings of the changed migrations become annotations and
/// decide the exit code; unchanged migrations are replayed but not reported.</summary>
public sealed class ActionScriptTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("stepwise-action-").FullName;

    /// <summary>The repository; the event, outputs and summary files live beside it, not in it.</summary>
    private readonly string _repo;

    private static readonly string Stepwise = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "stepwise.exe" : "stepwise");

    private string Base { get; }

    public ActionScriptTests()
    {
        _repo = Directory.CreateDirectory(Path.Combine(_temp, "repo")).FullName;
        Git("init", "-q", "-b", "main");
        Git("config", "user.email", "test@example.test");
        Git("config", "user.name", "test");
        // an already merged migration with a finding: replayed, never reported by the action
        Write("migrations/0001_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n");
        Write("migrations/0002_old_index.up.sql", "CREATE INDEX users_id ON users (id);\n");
        Git("add", ".");
        Git("commit", "-q", "-m", "base");
        Base = Git("rev-parse", "HEAD").Trim();
    }

    [Fact]
    public void A_dangerous_changed_migration_is_annotated_and_fails_the_step()
    {
        Write("migrations/0003_email_index.up.sql", "CREATE INDEX users_email ON users (email);\n");
        Commit();

        var run = RunAction(PullRequestEvent(Base));

        Assert.Equal(1, run.ExitCode);
        var annotations = run.Out.Split('\n').Where(l => l.StartsWith("::", StringComparison.Ordinal)).ToList();
        var annotation = Assert.Single(annotations);
        Assert.StartsWith("::error file=migrations/0003_email_index.up.sql,line=1,", annotation, StringComparison.Ordinal);
        Assert.Contains("non-concurrent-index", annotation, StringComparison.Ordinal);
        Assert.DoesNotContain(annotations, a => a.Contains("0002_old_index", StringComparison.Ordinal));
        var outputs = Outputs();
        Assert.Equal("1", outputs["changed"]);
        Assert.Equal("1", outputs["errors"]);
        Assert.Equal("0", outputs["warnings"]);

        // the SARIF file covers the folder and is valid JSON with a run of stepwise
        using var sarif = JsonDocument.Parse(File.ReadAllText(outputs["sarif"]));
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
    }

    [Fact]
    public void A_safe_changed_migration_passes_even_when_an_old_one_has_findings()
    {
        // the table is from 0001 (replayed), so only CONCURRENTLY is safe here
        Write("migrations/0003_email_index.up.sql", "CREATE INDEX CONCURRENTLY users_email ON users (email);\n");
        Commit();

        var run = RunAction(PullRequestEvent(Base));

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.DoesNotContain("::error", run.Out, StringComparison.Ordinal);
        Assert.Equal("0", Outputs()["errors"]);
    }

    [Fact]
    public void No_changed_migration_lints_nothing_and_passes()
    {
        Write("README.md", "docs only\n");
        Commit();

        var run = RunAction(PullRequestEvent(Base));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("no migration changed under migrations", run.Out, StringComparison.Ordinal);
        Assert.Equal("0", Outputs()["changed"]);
    }

    [Fact]
    public void A_push_event_compares_with_the_commit_before_it()
    {
        Write("migrations/0003_rename.up.sql", "ALTER TABLE users RENAME COLUMN email TO mail;\n");
        Commit();
        var run = RunAction($$"""{"before": "{{Base}}", "after": "{{Git("rev-parse", "HEAD").Trim()}}"}""");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("::error file=migrations/0003_rename.up.sql", run.Out, StringComparison.Ordinal);
        Assert.Contains("rename-column", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Fail_level_warning_fails_on_warnings_and_none_never_fails()
    {
        // a finding made a warning by the configuration
        Write("stepwise.toml", "[rules]\nnon-concurrent-index = \"warning\"\n");
        Write("migrations/0003_email_index.up.sql", "CREATE INDEX users_email ON users (email);\n");
        Commit();

        var atError = RunAction(PullRequestEvent(Base));
        Assert.True(atError.ExitCode == 0, atError.Out + atError.Error);
        Assert.Contains("::warning file=migrations/0003_email_index.up.sql", atError.Out, StringComparison.Ordinal);

        Assert.Equal(1, RunAction(PullRequestEvent(Base), ("STEPWISE_FAIL_LEVEL", "warning")).ExitCode);
        Assert.Equal(0, RunAction(PullRequestEvent(Base), ("STEPWISE_FAIL_LEVEL", "none")).ExitCode);
        Assert.Equal(2, RunAction(PullRequestEvent(Base), ("STEPWISE_FAIL_LEVEL", "sometimes")).ExitCode);
    }

    [Fact]
    public void Markdown_format_goes_to_the_job_summary()
    {
        Write("migrations/0003_email_index.up.sql", "CREATE INDEX users_email ON users (email);\n");
        Commit();

        RunAction(PullRequestEvent(Base), ("STEPWISE_FORMAT", "markdown"));

        Assert.Contains("non-concurrent-index", File.ReadAllText(Path.Combine(_temp, "summary")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_misnamed_migration_fails_the_step()
    {
        Write("migrations/0003_not_a_migration_name.sql", "SELECT 1;\n");
        Commit();

        var run = RunAction(PullRequestEvent(Base));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("::error file=migrations/0003_not_a_migration_name.sql,", run.Out, StringComparison.Ordinal);
        Assert.Contains("title=layout", run.Out, StringComparison.Ordinal);
    }

    private static string PullRequestEvent(string baseSha) =>
        "{\"action\": \"synchronize\", \"pull_request\": {\"number\": 7, \"base\": {\"ref\": \"main\", \"sha\": \"" + baseSha + "\"}}}";

    private CliResult RunAction(string eventJson, params (string Name, string Value)[] environment)
    {
        var eventPath = Path.Combine(_temp, "event.json");
        File.WriteAllText(eventPath, eventJson);
        File.WriteAllText(Path.Combine(_temp, "outputs"), string.Empty);
        var start = new ProcessStartInfo("bash") { WorkingDirectory = _repo, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(CliRunner.Root, "scripts", "action-lint.sh"));
        start.Environment["GITHUB_EVENT_PATH"] = eventPath;
        start.Environment["GITHUB_OUTPUT"] = Path.Combine(_temp, "outputs");
        start.Environment["GITHUB_STEP_SUMMARY"] = Path.Combine(_temp, "summary");
        start.Environment["STEPWISE_BIN"] = Stepwise;
        start.Environment["STEPWISE_SARIF"] = Path.Combine(_temp, "stepwise.sarif");
        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Wait(start);
    }

    private Dictionary<string, string> Outputs() =>
        File.ReadAllLines(Path.Combine(_temp, "outputs")).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_repo, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private void Commit()
    {
        Git("add", ".");
        Git("commit", "-q", "-m", "change");
    }

    private string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = _repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var result = Wait(start);
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', args)}: {result.Error}");
        return result.Out;
    }

    private static CliResult Wait(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} did not finish in a minute");
        }

        return new CliResult(process.ExitCode, output.Result, error.Result);
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);
}
