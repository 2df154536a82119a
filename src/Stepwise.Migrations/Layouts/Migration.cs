namespace Stepwise.Migrations.Layouts;

/// <summary>How a layout applies a migration.</summary>
public enum MigrationKind
{
    /// <summary>Applied once, in version order.</summary>
    Versioned,

    /// <summary>Flyway <c>R__</c>: re-applied whenever its checksum changes, after all versioned ones.</summary>
    Repeatable,

    /// <summary>Flyway <c>B</c>: the schema as of a version, used instead of the versioned migrations up to
    /// that version when a database is empty.</summary>
    Baseline,
}

/// <summary>One migration of a folder: its identity in the layout, and its up (and down) SQL.</summary>
public sealed class Migration
{
    /// <summary>The version as written in the file name (Flyway: '_' shown as '.'; Prisma: the directory
    /// name, which is what <c>_prisma_migrations.migration_name</c> records; Flyway repeatables: empty).</summary>
    public required string Version { get; init; }

    /// <summary>The descriptive part of the name (Flyway: the description with '_' shown as spaces).</summary>
    public required string Name { get; init; }

    /// <summary>Versioned, or Flyway's repeatable or baseline.</summary>
    public MigrationKind Kind { get; init; } = MigrationKind.Versioned;

    /// <summary>Sorts migrations in the order the layout applies them. Compare keys only within one layout.</summary>
    public required VersionKey OrderKey { get; init; }

    /// <summary>The up (apply) script.</summary>
    public required MigrationScript Up { get; init; }

    /// <summary>The down (undo) script, when the layout has one and it was found and read.</summary>
    public MigrationScript? Down { get; init; }

    /// <summary>Drizzle: the journal's <c>when</c> (ms), which drizzle records as <c>created_at</c>. Null elsewhere.</summary>
    public long? JournalWhen { get; init; }

    /// <summary><c>{Version} {Name}</c>, or <c>R__{Name}</c> for a repeatable.</summary>
    public override string ToString() => Kind == MigrationKind.Repeatable ? $"R__{Name}" : $"{Version} {Name}";
}

/// <summary>The SQL of one direction of a migration.</summary>
public sealed class MigrationScript
{
    /// <summary>The display path: the folder as the user gave it joined with the relative path, with '/'
    /// separators (e.g. <c>examples/unsafe/0001_x.up.sql</c>).</summary>
    public required string Path { get; init; }

    /// <summary>The file's text with a UTF-8 BOM removed and line endings kept, so offsets, lines and columns
    /// match the file as the user sees it. dbmate: the whole file with the other direction's section blanked
    /// to spaces (line breaks kept).</summary>
    public required string Text { get; init; }

    /// <summary>The raw bytes of the file the script comes from (for dbmate, the whole file), as read, for
    /// checksums that other tools compute over bytes.</summary>
    public ReadOnlyMemory<byte> FileBytes { get; init; }

    /// <summary>The script asks to run outside a transaction (see <see cref="NoTransactionReason"/>).</summary>
    public bool NoTransaction { get; init; }

    /// <summary>What asked for no transaction, for messages: e.g. "-- stepwise:no-transaction",
    /// "transaction:false on -- migrate:up", "executeInTransaction=false in V1__x.sql.conf".</summary>
    public string? NoTransactionReason { get; init; }

    /// <summary>A line comment that also ends a statement ("--> statement-breakpoint" for Drizzle), else null.</summary>
    public string? BreakpointComment { get; init; }

    /// <summary>The display path (<see cref="Path"/>).</summary>
    public override string ToString() => Path;
}
