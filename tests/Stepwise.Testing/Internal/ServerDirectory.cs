using System.Diagnostics;
using System.Globalization;

namespace Stepwise.Testing.Internal;

/// <summary>
/// A fresh folder under the temp folder for one server's data, sockets and logs, named
/// <c>stepwise-{kind}-XXXXXX</c>. It records the owning test process so a later run can recognise (and stop)
/// servers left behind by a run that was killed.
/// </summary>
internal sealed class ServerDirectory
{
    private const string OwnerFile = "owner";

    /// <summary>A folder without an owner file younger than this may still be being set up by another process.</summary>
    private static readonly TimeSpan OwnerlessGrace = TimeSpan.FromMinutes(10);

    private ServerDirectory(string path) => Path = path;

    public string Path { get; }

    public static ServerDirectory Create(string kind)
    {
        var info = Directory.CreateTempSubdirectory(Prefix(kind));
        var self = Process.GetCurrentProcess();
        var owner = string.Create(CultureInfo.InvariantCulture, $"{self.Id} {self.StartTime.ToUniversalTime().Ticks}\n");
        File.WriteAllText(System.IO.Path.Combine(info.FullName, OwnerFile), owner);
        return new ServerDirectory(info.FullName);
    }

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Deletes the folder, retrying briefly while a just-killed server still holds files.</summary>
    public void Delete() => DeleteFolder(Path);

    /// <summary>
    /// Finds folders of this kind whose owning process is gone, stops the server in each (the callback is
    /// handed the folder) and deletes them. Problems are ignored: reaping is best effort.
    /// </summary>
    public static async Task ReapStaleAsync(string kind, Func<string, Task> stopServer)
    {
        string[] folders;
        try
        {
            folders = Directory.GetDirectories(System.IO.Path.GetTempPath(), Prefix(kind) + "*");
        }
        catch (IOException)
        {
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }

        foreach (var folder in folders)
        {
            if (!IsStale(folder))
            {
                continue;
            }

            try
            {
                await stopServer(folder).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // best effort: a server that cannot be stopped must not fail today's run
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            DeleteFolder(folder);
        }
    }

    /// <summary>True when <paramref name="pid"/> runs a program named <paramref name="program"/> whose command line mentions <paramref name="folder"/>.</summary>
    public static bool IsServerProcess(int pid, string program, string folder)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline").Replace('\0', ' ');
            var executable = commandLine.Split(' ', 2)[0];
            return System.IO.Path.GetFileName(executable).Equals(program, StringComparison.Ordinal)
                && commandLine.Contains(folder, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Reads the first line of a pid file as a process id.</summary>
    public static int? ReadPid(string pidFile)
    {
        try
        {
            var first = File.ReadLines(pidFile).FirstOrDefault();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    internal static bool IsStale(string folder)
    {
        string text;
        try
        {
            text = File.ReadAllText(System.IO.Path.Combine(folder, OwnerFile));
        }
        catch (FileNotFoundException)
        {
            return DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) > OwnerlessGrace;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        var parts = text.Split(' ', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var started))
        {
            return true;
        }

        return !IsAlive(pid, started);
    }

    /// <summary>The process is alive and is the same one (its start time guards against a reused pid).</summary>
    private static bool IsAlive(int pid, long startedTicks)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            var difference = Math.Abs(process.StartTime.ToUniversalTime().Ticks - startedTicks);
            return !process.HasExited && difference < TimeSpan.TicksPerSecond;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Prefix(string kind) => $"stepwise-{kind}-";

    private static void DeleteFolder(string folder)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 20)
            {
                Thread.Sleep(50);
            }
            catch (UnauthorizedAccessException) when (attempt < 20)
            {
                Thread.Sleep(50);
            }
            catch (IOException)
            {
                return;
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }
        }
    }
}
