using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

// Linked into Stepwise.PostgreSql and Stepwise.MySql (see their .csproj): the plumbing both throwaway servers
// share — finding programs, running them, free ports, temp folders. Internal to each assembly.
namespace Stepwise.Engines.LocalServers;

/// <summary>A finished program: its exit code and its standard output and error, interleaved as read.</summary>
internal sealed record ToolResult(int ExitCode, string Output);

/// <summary>Finds and runs the server programs, hands out free ports and temp folders.</summary>
internal static class LocalServerTools
{
    /// <summary>How long an install or start tool may take before it is killed.</summary>
    public static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(120);

    /// <summary>PATH plus the sbin folders (Debian puts mariadbd and runuser there; a non-root PATH often lacks them).</summary>
    public static IReadOnlyList<string> SearchPath { get; } = BuildSearchPath();

    /// <summary>True when this process runs as root (PostgreSQL refuses to; MariaDB needs <c>--user=root</c>).</summary>
    public static bool IsRoot => Environment.IsPrivilegedProcess;

    /// <summary>The full path of the first executable named <paramref name="name"/> on the search path, or null.</summary>
    public static string? Which(string name)
    {
        foreach (var folder in SearchPath)
        {
            var candidate = Path.Combine(folder, name);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>True for an existing file with an execute bit (any file on Windows).</summary>
    public static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        return (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }

    /// <summary>The file a symbolic link finally points to (the path itself when it is no link).</summary>
    public static string Resolve(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }

    /// <summary>Runs a program to its end (killed after <paramref name="timeout"/>); never throws for its failure.</summary>
    public static async Task<ToolResult> RunAsync(string fileName, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = StartInfo(fileName, arguments) };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new ToolResult(-1, $"{fileName} could not be started: {e.Message}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            return new ToolResult(-1, $"{Path.GetFileName(fileName)} did not finish within {timeout.TotalSeconds:0} s\n{Text(output)}");
        }

        // the asynchronous readers may still hold the last lines
        process.WaitForExit();
        return new ToolResult(process.ExitCode, Text(output));
    }

    /// <summary>Starts a long-running program (a server) whose output is collected into <paramref name="output"/>.</summary>
    public static Process Start(string fileName, IReadOnlyList<string> arguments, StringBuilder output)
    {
        var process = new Process { StartInfo = StartInfo(fileName, arguments) };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            throw;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Kills a process and its children, and waits for it (up to 10 s); errors are ignored.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // never started or already gone
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // already gone
        }
    }

    /// <summary>A port on 127.0.0.1 that was free a moment ago (callers retry when the server finds it taken).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>True while something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A fresh folder under the temp folder (mode 700 where the OS has modes).</summary>
    public static string CreateFolder(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>Deletes a folder and everything in it, retrying briefly while a stopping server still writes.</summary>
    public static void DeleteFolder(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 10)
            {
                Thread.Sleep(100);
            }
            catch (UnauthorizedAccessException) when (attempt < 10)
            {
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>A random password of 32 hex digits (no character needs quoting in SQL, a URL or a file).</summary>
    public static string RandomPassword() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The last <paramref name="lines"/> lines of a text file, or empty when it cannot be read.</summary>
    public static string Tail(string path, int lines = 20)
    {
        try
        {
            if (!File.Exists(path))
            {
                return string.Empty;
            }

            var all = File.ReadAllLines(path);
            return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static ProcessStartInfo StartInfo(string fileName, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // English messages (we look for "Address already in use"), and none of the caller's PG*/MYSQL* settings
        info.Environment["LC_ALL"] = "C";
        info.Environment["LANG"] = "C";
        foreach (var name in info.Environment.Keys.ToList())
        {
            if (name.StartsWith("PG", StringComparison.Ordinal) || name.StartsWith("MYSQL", StringComparison.Ordinal)
                || name.StartsWith("MARIADB", StringComparison.Ordinal))
            {
                info.Environment.Remove(name);
            }
        }

        return info;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            // keep the end: a server that fails says why last
            if (output.Length > 64 * 1024)
            {
                output.Remove(0, output.Length / 2);
            }

            output.Append(line).Append('\n');
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString().Trim();
        }
    }

    private static List<string> BuildSearchPath()
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .ToList();
        foreach (var extra in new[] { "/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/local/bin", "/usr/bin", "/bin" })
        {
            if (!folders.Contains(extra, StringComparer.Ordinal))
            {
                folders.Add(extra);
            }
        }

        return folders;
    }
}
