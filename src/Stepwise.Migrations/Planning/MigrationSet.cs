using Stepwise.Migrations.Layouts;
using Stepwise.Migrations.Running;

namespace Stepwise.Migrations.Planning;

/// <summary>A loaded migrations folder, split as the plan needs it: versioned (and Flyway baseline) migrations in
/// apply order, then repeatables.</summary>
public sealed class MigrationSet
{
    private MigrationSet(FolderLoadResult load)
    {
        Load = load;
        Versioned = load.Migrations.Where(m => m.Kind != MigrationKind.Repeatable).ToList();
        Repeatable = load.Migrations.Where(m => m.Kind == MigrationKind.Repeatable).ToList();
    }

    /// <summary>What the layout reader found.</summary>
    public FolderLoadResult Load { get; }

    /// <summary>The folder's layout.</summary>
    public LayoutKind Layout => Load.Layout;

    /// <summary>Versioned and baseline migrations in apply order.</summary>
    public IReadOnlyList<Migration> Versioned { get; }

    /// <summary>Flyway repeatables.</summary>
    public IReadOnlyList<Migration> Repeatable { get; }

    /// <summary>Loads a folder; the problems that stop a command when it cannot be used.</summary>
    public static (MigrationSet? Set, IReadOnlyList<RunProblem> Problems) Open(string directory, LayoutKind? layout) => Open(directory, layout, null);

    /// <summary>Opens a folder for a database of <paramref name="dialect"/> (pop reads that dialect's files).</summary>
    public static (MigrationSet? Set, IReadOnlyList<RunProblem> Problems) Open(string directory, LayoutKind? layout, Stepwise.Sql.SqlDialect? dialect)
    {
        if (!Directory.Exists(directory))
        {
            return (null, [new FolderNotFound(directory)]);
        }

        var load = MigrationFolder.Load(directory, layout, dialect);
        var errors = load.Problems.Where(p => p.Severity == ProblemSeverity.Error).Select(p => (RunProblem)new FolderError(p.Path, p.Message)).ToList();
        return errors.Count > 0 ? (null, errors) : (new MigrationSet(load), []);
    }

    /// <summary>A set from an already loaded folder (tests, other front ends).</summary>
    public static MigrationSet From(FolderLoadResult load) => new(load);

    /// <summary>The version a migration is journaled under: Flyway repeatables by name, baselines beside the V script of the same version.</summary>
    public static string JournalVersion(Migration m) => m.Kind switch
    {
        MigrationKind.Repeatable => "R__" + m.Name,
        MigrationKind.Baseline => "B" + m.Version,
        _ => m.Version,
    };

    /// <summary>The checksum the journal records for a script.</summary>
    public static string Checksum(MigrationScript script) => Checksums.Sha256Normalized(script.Text);

    /// <summary>Version 0 (<c>0</c>, <c>0000</c>, <c>0.0</c>): before every migration, for <c>down --to</c> and <c>force</c>.</summary>
    public static bool IsZero(string version) => version.Length > 0 && version.All(c => c is '0' or '.' or '_');

    /// <summary>Whether a version given by a user names a versioned migration of this set.</summary>
    public bool HasVersion(string version)
    {
        var key = VersionKey.Parse(Layout, version);
        return Versioned.Any(m => m.OrderKey.CompareTo(key) == 0 || string.Equals(m.Version, version, StringComparison.Ordinal));
    }
}
