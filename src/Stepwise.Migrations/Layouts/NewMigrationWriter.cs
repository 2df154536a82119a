namespace Stepwise.Migrations.Layouts;

/// <summary>What <see cref="NewMigrationWriter.Write"/> did: the files it created and rewrote (full paths), or why it wrote none.</summary>
/// <param name="Layout">The folder's layout, whose <see cref="IMigrationLayout.New"/> chose the files.</param>
/// <param name="Written">The files created, then the file rewritten (Drizzle's journal).</param>
/// <param name="Problem">Why nothing was written, or null.</param>
public sealed record NewMigrationResult(LayoutKind Layout, IReadOnlyList<string> Written, string? Problem);

/// <summary><c>stepwise new</c>: adds a migration in the form the folder's layout reads, with a version no
/// migration of the folder has (two <c>new</c> in one second, or a concurrent one, take the next free second).</summary>
public static class NewMigrationWriter
{
    private const int Attempts = 1000;

    /// <summary>Writes a new migration named <paramref name="name"/> (already cleaned to a file-name part) into
    /// <paramref name="folder"/>, whose layout is <paramref name="layout"/> or detected (an empty or unrecognised
    /// folder: Stepwise's own).</summary>
    public static NewMigrationResult Write(string folder, string name, string description, DateTime now, LayoutKind? layout = null)
    {
        Directory.CreateDirectory(folder);
        var load = MigrationFolder.Load(folder, layout ?? (MigrationFolder.IsRecognised(folder) ? null : LayoutKind.Stepwise));
        var chosen = load.Layout;
        var time = now;
        for (var attempt = 0; attempt < Attempts; attempt++, time = time.AddSeconds(1))
        {
            if (chosen.Definition.New(load, time, name, description) is not { } plan)
            {
                return new NewMigrationResult(chosen, [], $"the {chosen.Name} layout cannot add a migration to this folder");
            }

            var key = chosen.ParseVersion(plan.Version);
            if (load.Migrations.Any(m => m.OrderKey == key || string.Equals(m.Version, plan.Version, StringComparison.Ordinal))
                || Directory.EnumerateFileSystemEntries(folder, plan.Version + "_*").Any()
                || plan.Files.Any(f => Path.Exists(Full(folder, f.Path))))
            {
                continue;
            }

            var first = Full(folder, plan.Files[0].Path);
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(first)!);
                using var created = new FileStream(first, FileMode.CreateNew); // a concurrent `new` took it: next second
            }
            catch (IOException) when (File.Exists(first))
            {
                load = MigrationFolder.Load(folder, chosen);
                continue;
            }

            var written = new List<string>();
            foreach (var (path, content) in plan.Files)
            {
                var full = Full(folder, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, content);
                written.Add(full);
            }

            if (plan.Rewrite is { } rewrite)
            {
                var full = Full(folder, rewrite.Path);
                File.WriteAllText(full, rewrite.Content);
                written.Add(full);
            }

            return new NewMigrationResult(chosen, written, null);
        }

        return new NewMigrationResult(chosen, [], "no free version found for the new migration");
    }

    private static string Full(string folder, string relative) => Path.Combine(folder, relative.Replace('/', Path.DirectorySeparatorChar));
}
