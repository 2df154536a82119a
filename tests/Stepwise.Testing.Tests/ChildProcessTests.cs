using System.Diagnostics;

namespace Stepwise.Testing.Tests;

public sealed class ChildProcessTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task RunAsync_captures_stdout_stderr_and_exit_code()
    {
        var result = await ChildProcess.RunAsync("sh", ["-c", "echo out; echo err >&2; exit 3"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.StandardOutput);
        Assert.Equal("err\n", result.StandardError);
    }

    [Fact]
    public async Task RunAsync_passes_arguments_verbatim_without_a_shell()
    {
        var result = await ChildProcess.RunAsync("printf", ["%s|", "two words", "$HOME", "'quoted'"]);

        Assert.Equal("two words|$HOME|'quoted'|", result.StandardOutput);
    }

    [Fact]
    public async Task RunAsync_sets_and_removes_environment_variables()
    {
        Environment.SetEnvironmentVariable("STEPWISE_CHILD_REMOVED", "present");
        var result = await ChildProcess.RunAsync(
            "sh",
            ["-c", "echo \"${STEPWISE_CHILD_SET}:${STEPWISE_CHILD_REMOVED:-absent}\""],
            new Dictionary<string, string?> { ["STEPWISE_CHILD_SET"] = "yes", ["STEPWISE_CHILD_REMOVED"] = null });

        Assert.Equal("yes:absent\n", result.StandardOutput);
    }

    [Fact]
    public async Task RunAsync_feeds_standard_input_and_uses_the_working_directory()
    {
        var folder = Directory.CreateTempSubdirectory("stepwise-child-");
        try
        {
            var result = await ChildProcess.RunAsync("sh", ["-c", "cat; pwd"], workingDirectory: folder.FullName, standardInput: "line one\n");

            Assert.Equal($"line one\n{folder.FullName}\n", result.StandardOutput);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_kills_a_process_that_outlives_its_timeout()
    {
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => ChildProcess.RunAsync("sh", ["-c", "echo started; exec sleep 30"], timeout: TimeSpan.FromMilliseconds(500)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains("did not exit within", error.Message, StringComparison.Ordinal);
        Assert.Contains("started", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kill_sends_SIGKILL_and_the_output_so_far_is_kept()
    {
        await using var child = ChildProcess.Start("sh", ["-c", "trap '' TERM; echo ready; exec sleep 30"]);
        await child.WaitForOutputAsync("ready", Generous);

        child.Kill();
        var result = await child.WaitForExitAsync(Generous);

        Assert.Equal(ChildProcessResult.KilledExitCode, result.ExitCode);
        Assert.Equal("ready\n", result.StandardOutput);
        Assert.True(child.HasExited);
    }

    [Fact]
    public async Task WaitForOutputAsync_fails_when_the_process_exits_without_the_text()
    {
        await using var child = ChildProcess.Start("sh", ["-c", "echo something else"]);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => child.WaitForOutputAsync("never printed", Generous));

        Assert.Contains("exited without writing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForOutputAsync_sees_text_on_stderr()
    {
        await using var child = ChildProcess.Start("sh", ["-c", "echo warming up >&2; exec sleep 30"]);

        await child.WaitForOutputAsync("warming up", Generous);

        Assert.Equal("warming up\n", child.StandardError);
        Assert.False(child.HasExited);
    }

    [Fact]
    public async Task Disposing_a_handle_kills_the_running_process()
    {
        var child = ChildProcess.Start("sleep", ["30"]);
        var pid = child.Id;

        await child.DisposeAsync();

        Assert.True(Ports.IsGone(pid));
    }

    [Fact]
    public void Start_of_a_missing_program_names_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ChildProcess.Start("stepwise-no-such-program", []));

        Assert.Contains("stepwise-no-such-program", error.Message, StringComparison.Ordinal);
    }
}
