using Stepwise.Sql;

namespace Stepwise.Migrations.Layouts;

/// <summary>What <see cref="MigrationFolder.Load(string, LayoutKind?)"/> found in a folder.</summary>
public sealed class FolderLoadResult
{
    /// <summary>The folder as the user gave it.</summary>
    public required string Folder { get; init; }

    /// <summary>The layout the folder was read as: the one asked for, or the one detected.</summary>
    public required LayoutKind Layout { get; init; }

    /// <summary>A short human reason for <see cref="Layout"/>, e.g. "found migration_lock.toml".</summary>
    public required string DetectedBecause { get; init; }

    /// <summary>The migrations in apply order. Files that could not be read are left out (and reported).</summary>
    public required IReadOnlyList<Migration> Migrations { get; init; }

    /// <summary>What was wrong with the folder or its files (errors, warnings, notes), in the order found.</summary>
    public required IReadOnlyList<LayoutProblem> Problems { get; init; }

    /// <summary>The dialect the folder declares: Prisma's migration_lock.toml provider, Drizzle's journal dialect.</summary>
    public SqlDialect? DialectHint { get; init; }

    /// <summary>True when a problem has <see cref="ProblemSeverity.Error"/> severity.</summary>
    public bool HasErrors => Problems.Any(p => p.Severity == ProblemSeverity.Error);
}
