namespace Stepwise.Migrations.Layouts;

/// <summary>
/// One migration layout: everything Stepwise knows about a tool's folder, in one class. Adding a layout is one
/// new file implementing this interface plus one line in <see cref="LayoutRegistry"/>; the engines and the
/// runner read layouts only through this interface (the history table is data: <see cref="History"/>).
/// </summary>
internal interface IMigrationLayout
{
    /// <summary>The canonical name users type (<c>--layout</c>, <c>baseline --from</c>).</summary>
    string Name { get; }

    /// <summary>Other spellings accepted for <see cref="Name"/> (lower case).</summary>
    IReadOnlyList<string> Aliases => [];

    /// <summary>What the folder looks like, for help text and the "nothing recognised" message
    /// (e.g. <c>{version}_{name}/up.sql (Diesel)</c>).</summary>
    string Looks { get; }

    /// <summary>Whether this folder looks like the layout: null when it does not; else how strongly and why.</summary>
    LayoutDetection? Detect(FolderScan scan);

    /// <summary>A second, costlier look, asked only when no layout's <see cref="Detect"/> matched
    /// (Flyway: subfolders).</summary>
    LayoutDetection? DetectDeep(FolderScan scan) => null;

    /// <summary>Reads the migrations (any order: the loader sorts them by <see cref="Migration.OrderKey"/>);
    /// every problem goes to <paramref name="scan"/>.</summary>
    List<Migration> Load(FolderScan scan);

    /// <summary>The order key of a version as a user or another tool's history writes it.</summary>
    VersionKey ParseVersion(string version) => VersionKey.IsDigits(version) ? VersionKey.Numeric(version) : VersionKey.Named(version);

    /// <summary>The tool's history table, for <c>baseline --from</c> and the check <c>up</c> makes before it
    /// runs anything on a database with no Stepwise journal; null when the tool keeps none.</summary>
    ForeignTool? History { get; }

    /// <summary>The files <c>stepwise new</c> writes for a migration of this layout at <paramref name="time"/>;
    /// null when the layout cannot add one (then the CLI says so).</summary>
    NewMigration? New(FolderLoadResult folder, DateTime time, string name, string description);
}

/// <summary>A layout's answer to "is this folder mine?".</summary>
/// <param name="Tier">How telling the evidence is: 2 a file only this tool writes (migration_lock.toml,
/// meta/_journal.json, atlas.sum), 1 file names or markers in files, 0 a guess (any .sql file). A higher tier
/// wins; then the higher <paramref name="Score"/>; then the order of <see cref="LayoutRegistry"/>.</param>
/// <param name="Score">How many files fit.</param>
/// <param name="Because">The reason, as shown to users ("found 3 files with a '-- +goose Up' line").</param>
internal sealed record LayoutDetection(int Tier, int Score, string Because)
{
    public const int Marker = 2;
    public const int Names = 1;
    public const int Guess = 0;
}

/// <summary>What <c>stepwise new</c> writes: new files, and at most one existing file rewritten (Drizzle's journal).</summary>
/// <param name="Version">The new migration's version, as the layout will read it back.</param>
/// <param name="Files">Relative path (with '/') and content of each new file; the first is created exclusively.</param>
/// <param name="Rewrite">An existing file's new content (relative path, content), written after the new files.</param>
public sealed record NewMigration(string Version, IReadOnlyList<(string Path, string Content)> Files, (string Path, string Content)? Rewrite = null);
