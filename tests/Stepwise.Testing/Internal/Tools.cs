namespace Stepwise.Testing.Internal;

/// <summary>Finds programs on the search path, and runs the small ones the servers need.</summary>
internal static class Tools
{
    /// <summary>
    /// PATH plus the sbin folders: Debian puts mariadbd and runuser there, and a non-root user's PATH
    /// often lacks them.
    /// </summary>
    public static string DefaultSearchPath { get; } = string.Join(
        Path.PathSeparator,
        new[] { Environment.GetEnvironmentVariable("PATH") ?? string.Empty, "/usr/local/sbin", "/usr/sbin", "/sbin" }
            .Where(p => p.Length > 0));

    public static bool IsRoot => Environment.IsPrivilegedProcess;

    /// <summary>The full path of an executable named <paramref name="name"/> on <paramref name="searchPath"/>, or null.</summary>
    public static string? Which(string name, string searchPath)
    {
        foreach (var folder in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

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

        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }

    /// <summary>Runs a tool that must succeed; a failure throws with its output.</summary>
    public static async Task<string> RunCheckedAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        string? workingDirectory,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var result = await ChildProcess.RunAsync(
            fileName, arguments, ToolEnvironment, timeout, workingDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{ChildProcess.Describe(fileName, arguments)} failed with exit code {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardError}");
        }

        return result.StandardOutput;
    }

    /// <summary>
    /// English messages (we look for "Address already in use"), and no PG*/MYSQL* variables from the
    /// developer's shell leaking into the servers' tools.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> ToolEnvironment { get; } = BuildEnvironment();

    private static Dictionary<string, string?> BuildEnvironment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["LC_ALL"] = "C",
            ["LANG"] = "C",
        };
        foreach (var name in Environment.GetEnvironmentVariables().Keys.OfType<string>())
        {
            if (name.StartsWith("PG", StringComparison.Ordinal) || name.StartsWith("MYSQL", StringComparison.Ordinal)
                || name.StartsWith("MARIADB", StringComparison.Ordinal))
            {
                environment[name] = null;
            }
        }

        return environment;
    }
}
