using System.Diagnostics;
using System.Text;

namespace Stepwise.Testing;

/// <summary>How a child process ended, with everything it wrote.</summary>
public sealed record ChildProcessResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    /// <summary>Exit code of a process killed by SIGKILL (128 + 9), as .NET reports it on Unix.</summary>
    public const int KilledExitCode = 137;
}

/// <summary>Runs child processes with a timeout and captures their output.</summary>
public static class ChildProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs <paramref name="fileName"/> to completion. Throws <see cref="TimeoutException"/> (after killing the
    /// process tree) when it outlives <paramref name="timeout"/>; a non-zero exit code is returned, not thrown.
    /// </summary>
    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    /// <param name="standardInput">Text written to stdin, which is then closed (null: empty stdin).</param>
    public static async Task<ChildProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        string? workingDirectory = null,
        string? standardInput = null,
        CancellationToken cancellationToken = default)
    {
        await using var handle = Start(fileName, arguments, environment, workingDirectory, standardInput);
        return await handle.WaitForExitAsync(timeout ?? DefaultTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> and returns at once. Stdout and stderr are captured in the background;
    /// disposing the handle kills the process if it is still running.
    /// </summary>
    public static ChildProcessHandle Start(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        string? standardInput = null) =>
        Start(fileName, arguments, environment, workingDirectory, standardInput, keepInputOpen: false);

    /// <summary>
    /// As the public Start; with <paramref name="keepInputOpen"/> stdin stays open until the handle closes it
    /// or this process dies, so the child can notice our death as end-of-file.
    /// </summary>
    internal static ChildProcessHandle Start(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment,
        string? workingDirectory,
        string? standardInput,
        bool keepInputOpen)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                if (value is null)
                {
                    info.Environment.Remove(name);
                }
                else
                {
                    info.Environment[name] = value;
                }
            }
        }

        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException($"could not start {fileName}: {e.Message}", e);
        }

        return new ChildProcessHandle(process, Describe(fileName, info.ArgumentList), standardInput, keepInputOpen);
    }

    internal static string Describe(string fileName, IEnumerable<string> arguments) =>
        string.Join(' ', new[] { fileName }.Concat(arguments).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));
}

/// <summary>A running child process: its captured output so far, SIGKILL, and waiting for exit.</summary>
public sealed class ChildProcessHandle : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly object _gate = new();
    private readonly Task _pumps;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TaskCompletionSource _outputChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal ChildProcessHandle(Process process, string commandLine, string? standardInput, bool keepInputOpen)
    {
        _process = process;
        CommandLine = commandLine;
        Id = process.Id;
        var input = keepInputOpen ? Task.CompletedTask : FeedAsync(process.StandardInput, standardInput);
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput, _stdout), PumpAsync(process.StandardError, _stderr), input);
    }

    public int Id { get; }

    /// <summary>The command as started, for messages.</summary>
    public string CommandLine { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything written to stdout so far.</summary>
    public string StandardOutput
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>Everything written to stderr so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Sends SIGKILL to the process (not its children). Does nothing if it has already exited.</summary>
    public void Kill() => KillCore(entireTree: false);

    /// <summary>Sends SIGKILL to the process and every process it started.</summary>
    public void KillTree() => KillCore(entireTree: true);

    /// <summary>Sends SIGINT (what Ctrl-C sends) to the process, through kill(1). Does nothing if it has already
    /// exited; throws if the signal could not be sent.</summary>
    public void Interrupt()
    {
        if (_process.HasExited)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start kill(1)");
        kill.WaitForExit();
        if (kill.ExitCode != 0 && !_process.HasExited)
        {
            throw new InvalidOperationException($"kill -INT {Id} exited with {kill.ExitCode}");
        }
    }

    /// <summary>
    /// Waits for the process to exit and returns its exit code and output. On timeout the process tree is
    /// killed and <see cref="TimeoutException"/> is thrown with the output so far.
    /// </summary>
    public async Task<ChildProcessResult> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            KillTree();
            throw new TimeoutException(
                $"{CommandLine} did not exit within {timeout.TotalSeconds:0.#} s and was killed.\n" +
                $"stdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        }
        catch (OperationCanceledException)
        {
            KillTree();
            throw;
        }

        // A grandchild that inherited the pipes could hold them open forever; do not wait on it.
        await Task.WhenAny(_pumps, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false);
        return new ChildProcessResult(_process.ExitCode, StandardOutput, StandardError, _clock.Elapsed);
    }

    /// <summary>
    /// Waits until stdout or stderr contains <paramref name="text"/> (ordinal). Throws
    /// <see cref="TimeoutException"/> if it does not appear in time, or if the process exits without writing it.
    /// </summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return WaitForOutputAsync(output => output.Contains(text, StringComparison.Ordinal), $"\"{text}\"", timeout, cancellationToken);
    }

    /// <summary>
    /// Waits until <paramref name="seen"/> holds for stdout or for stderr (each passed whole, as written so far).
    /// <paramref name="what"/> names the condition in the <see cref="TimeoutException"/> thrown when it does not
    /// hold in time or the process exits first.
    /// </summary>
    public async Task WaitForOutputAsync(Func<string, bool> seen, string what, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seen);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            // read before the check, so output written just before the pipes closed is still seen
            var finished = _pumps.IsCompleted;
            Task changed;
            lock (_gate)
            {
                if (seen(_stdout.ToString()) || seen(_stderr.ToString()))
                {
                    return;
                }

                changed = _outputChanged.Task;
            }

            if (finished)
            {
                throw new TimeoutException($"{CommandLine} exited without writing {what}.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
            }

            var remaining = timeout - deadline.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{CommandLine} did not write {what} within {timeout.TotalSeconds:0.#} s.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
            }

            try
            {
                await changed.WaitAsync(remaining, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // loop once more: the final check reports the output so far
            }
        }
    }

    /// <summary>Kills the process if it is still running, and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!SafeHasExited())
        {
            KillTree();
            try
            {
                await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // a process that survives SIGKILL for 10 s is beyond our reach; release the handle anyway
            }
        }

        await Task.WhenAny(_pumps, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
        _process.Dispose();
    }

    /// <summary>Closes stdin (for a child started with its input kept open): the child reads end-of-file.</summary>
    internal void CloseStandardInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // the child is gone already
        }
    }

    /// <summary>Kills and waits synchronously, for process-exit handlers where nothing may be awaited.</summary>
    internal void KillAndWait(TimeSpan timeout)
    {
        KillTree();
        _process.WaitForExit(timeout);
    }

    private void KillCore(bool entireTree)
    {
        try
        {
            _process.Kill(entireTree);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }

    private bool SafeHasExited()
    {
        try
        {
            return _process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private async Task PumpAsync(StreamReader reader, StringBuilder target)
    {
        var buffer = new char[4096];
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                lock (_gate)
                {
                    target.Append(buffer, 0, read);
                }

                Signal();
            }
        }
        catch (IOException)
        {
            // the pipe broke because the process was killed; keep what was read
        }
        catch (ObjectDisposedException)
        {
            // the handle was disposed while reading
        }
        finally
        {
            Signal();
        }
    }

    private static async Task FeedAsync(StreamWriter writer, string? input)
    {
        try
        {
            if (!string.IsNullOrEmpty(input))
            {
                await writer.WriteAsync(input).ConfigureAwait(false);
                await writer.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // the process exited without reading all of its input
        }
        finally
        {
            try
            {
                writer.Close();
            }
            catch (IOException)
            {
                // closing a pipe whose reader is gone
            }
        }
    }

    private void Signal()
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            previous = _outputChanged;
            _outputChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }
}
