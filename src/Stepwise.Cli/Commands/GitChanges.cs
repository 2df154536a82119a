using System.Diagnostics;

namespace Stepwise.Cli.Commands;

/// <summary>The files a pull request adds or changes, for `lint --changed-since REF`: what differs between
/// REF and the working tree (added, copied, modified, renamed; deleted files are gone anyway), plus files git
/// does not track yet. Full paths.</summary>
internal static class GitChanges
{
    public static HashSet<string>? Since(string gitRef, string workingDirectory, out string? error)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        var top = Git(workingDirectory, ["rev-parse", "--show-toplevel"], out error)?.Trim();
        if (top is null)
        {
            return null;
        }

        var changed = Git(top, ["diff", "--name-only", "--no-renames", "--diff-filter=ACMRT", gitRef, "--"], out error);
        var untracked = changed is null ? null : Git(top, ["ls-files", "--others", "--exclude-standard", "--full-name"], out error);
        if (changed is null || untracked is null)
        {
            return null;
        }

        foreach (var line in (changed + "\n" + untracked).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            set.Add(Path.GetFullPath(Path.Combine(top, line)));
        }

        return set;
    }

    private static string? Git(string workingDirectory, string[] args, out string? error)
    {
        var info = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        try
        {
            using var process = Process.Start(info);
            if (process is null)
            {
                error = "could not start git";
                return null;
            }

            var stderr = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                error = $"git {string.Join(' ', args)} failed: {stderr.Result.Trim()}";
                return null;
            }

            error = null;
            return output;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            error = $"--changed-since needs git on the PATH ({ex.Message})";
            return null;
        }
    }
}
