using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>A temp working folder with a migrations/ folder inside, where `stepwise` runs as a child process.</summary>
internal sealed class LayoutFolder : IDisposable
{
    public LayoutFolder(string prefix)
    {
        Root = Directory.CreateTempSubdirectory(prefix).FullName;
        Migrations = Path.Combine(Root, "migrations");
        Directory.CreateDirectory(Migrations);
    }

    public string Root { get; }

    public string Migrations { get; }

    /// <summary>Writes a file under migrations/ (creating subfolders).</summary>
    public void Write(string relative, string text)
    {
        var path = Path.Combine(Migrations, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Delete(string relative) => File.Delete(Path.Combine(Migrations, relative));

    /// <summary>Runs `stepwise ARGS` in the root folder (so ./migrations is the default --dir).</summary>
    public Task<ChildProcessResult> RunAsync(params string[] args) => Stepwise.RunAsync(Root, TimeSpan.FromSeconds(60), args);

    public ChildProcessHandle Start(params string[] args) => Stepwise.Start(Root, args);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a killed child may still hold a file for a moment; the temp folder is cleaned by the OS
        }
    }

    /// <summary>Output of a run for assertion messages.</summary>
    public static string Show(ChildProcessResult r) => $"exit {r.ExitCode}\nstdout:\n{r.StandardOutput}\nstderr:\n{r.StandardError}";
}
