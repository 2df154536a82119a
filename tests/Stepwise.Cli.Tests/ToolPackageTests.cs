using System.Diagnostics;

namespace Stepwise.Cli.Tests;

/// <summary>`dotnet pack` makes the `stepwise` .NET tool, and it installs from a local package folder and runs.
/// Packs the CLI as already built for this test run (no second build), installs it into a temporary tool
/// path with a private NuGet cache and a config naming only the local folder, so nothing else is consulted.</summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("stepwise-tool-").FullName;

    [Fact]
    public void The_packed_tool_installs_from_a_local_folder_and_lints()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        var packages = Path.Combine(_temp, "packages");
        var pack = Run("dotnet", CliRunner.Root, "pack", "src/Stepwise.Cli/Stepwise.Cli.csproj", "-c", configuration, "--no-build", "--no-restore",
            "-o", packages, "-p:IncludeSymbols=false", "-nologo", "-v", "q");
        Assert.True(pack.ExitCode == 0, $"dotnet pack failed:\n{pack.Out}\n{pack.Error}");
        var package = Assert.Single(Directory.GetFiles(packages, "stepwise.*.nupkg"));
        var version = Path.GetFileNameWithoutExtension(package)["stepwise.".Length..];
        Assert.Equal(LintCommandVersion(), version);

        var config = Path.Combine(_temp, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /><add key="local" value="{packages}" /></packageSources></configuration>
            """);
        var tools = Path.Combine(_temp, "tools");
        var install = Run("dotnet", _temp, "tool", "install", "--tool-path", tools, "--configfile", config, "--add-source", packages, "stepwise", "--version", version);
        Assert.True(install.ExitCode == 0, $"dotnet tool install failed:\n{install.Out}\n{install.Error}");

        var stepwise = Path.Combine(tools, "stepwise");
        var versionRun = Run(stepwise, _temp, "--version");
        Assert.Equal(0, versionRun.ExitCode);
        Assert.StartsWith(version, versionRun.Out.Trim(), StringComparison.Ordinal);

        var lint = Run(stepwise, CliRunner.Root, "lint", "examples/unsafe");
        Assert.Equal(1, lint.ExitCode);
        Assert.Contains("error[non-concurrent-index]", lint.Out, StringComparison.Ordinal);

        var clean = Run(stepwise, CliRunner.Root, "lint", "examples/safe");
        Assert.True(clean.ExitCode == 0, clean.Out + clean.Error);
    }

    private static string LintCommandVersion() => Commands.LintCommand.Version;

    private CliResult Run(string file, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // a private global packages folder: a stepwise package of the same version cached by an earlier run
        // would otherwise be installed instead of the one just packed
        start.Environment["NUGET_PACKAGES"] = Path.Combine(_temp, "nuget-cache");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 3 minutes");
        }

        return new CliResult(process.ExitCode, output.Result, error.Result);
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);
}
