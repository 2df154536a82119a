using Stepwise.Testing;

namespace Stepwise.Runner.Tests.RealTools;

/// <summary>
/// Finding (and, for npm packages, installing) the real migration tools the RealTools tests run. In CI
/// (<c>CI=true</c>, where <c>.ci/run</c> installs them) a missing tool fails the test loudly; locally it skips
/// with the reason and the command that installs it.
/// </summary>
internal static class RealTool
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static bool InCi => Environment.GetEnvironmentVariable("CI") is { } ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>The repository root (the folder holding Stepwise.slnx).</summary>
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>Where the pinned drizzle-kit lives (package.json and package-lock.json committed; node_modules not).</summary>
    public static string DrizzleTools => Path.Combine(RepoRoot, "tests", "tools", "drizzle");

    /// <summary>Skips (locally) or fails (CI) unless <paramref name="condition"/> holds.</summary>
    public static void Require(bool condition, string reason)
    {
        if (condition)
        {
            return;
        }

        if (InCi)
        {
            Assert.Fail($"CI=true, so the real-tool tests must run: {reason}");
        }

        Skip.If(true, reason);
    }

    /// <summary>The full path of a program on PATH (or an absolute path that exists), or null.</summary>
    public static string? Which(string program)
    {
        if (Path.IsPathRooted(program))
        {
            return File.Exists(program) ? program : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Debian's python3 (where apt's python3-django lives; a pyenv python3 on PATH usually lacks it).</summary>
    public static string? Python => Which("/usr/bin/python3") ?? Which("python3");

    /// <summary>drizzle-kit's bin.cjs, running <c>npm ci</c> in tests/tools/drizzle first when node_modules is
    /// missing (CI's .ci/run has done it already); skips or fails (CI) when node/npm or the install is missing.</summary>
    public static async Task<string> DrizzleKitAsync()
    {
        var bin = Path.Combine(DrizzleTools, "node_modules", "drizzle-kit", "bin.cjs");
        Require(Which("node") is not null, "node is not installed (drizzle-kit runs on Node.js)");
        if (File.Exists(bin))
        {
            return bin;
        }

        await InstallLock.WaitAsync();
        try
        {
            if (!File.Exists(bin))
            {
                Require(Which("npm") is not null, "npm is not installed: it installs the pinned drizzle-kit (`npm ci` in tests/tools/drizzle)");
                var install = await ChildProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], timeout: TimeSpan.FromMinutes(3), workingDirectory: DrizzleTools);
                Require(install.ExitCode == 0 && File.Exists(bin), $"`npm ci` in tests/tools/drizzle failed (exit {install.ExitCode}): {Last(install.StandardError)}");
            }
        }
        finally
        {
            InstallLock.Release();
        }

        return bin;
    }

    public static string Show(ChildProcessResult r) => $"exit {r.ExitCode}\nstdout:\n{r.StandardOutput}\nstderr:\n{r.StandardError}";

    private static string Last(string text) => text.Length > 2000 ? text[^2000..] : text;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Stepwise.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Stepwise.slnx not found above " + AppContext.BaseDirectory);
    }
}
