namespace Stepwise.Engines;

/// <summary>The objects a <see cref="ISchemaReader"/> leaves out of a <see cref="SchemaSnapshot"/>: Stepwise's own
/// tables (<c>stepwise_*</c>), expand/contract helpers (<c>_sw_*</c>) and other migration tools' history tables
/// (by their default names; a name as generic as Evolve's <c>changelog</c> is kept, it may be the application's).</summary>
public static class SchemaExclusions
{
    private static readonly HashSet<string> HistoryTables = new(StringComparer.OrdinalIgnoreCase)
    {
        "schema_migrations", "flyway_schema_history", "__EFMigrationsHistory", "goose_db_version", "gorp_migrations",
        "databasechangelog", "databasechangeloglock", "__diesel_schema_migrations", "_sqlx_migrations", "schemaversions",
        "atlas_schema_revisions", "__drizzle_migrations", "_prisma_migrations", "schema_migration",
    };

    /// <summary>True when a table, view or trigger named <paramref name="name"/> (unquoted, possibly
    /// <c>schema.name</c>) is not part of the application's schema.</summary>
    public static bool IsExcluded(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var dot = name.LastIndexOf('.');
        var schema = dot < 0 ? null : name[..dot];
        var local = dot < 0 ? name : name[(dot + 1)..];
        return schema is "drizzle" or "grate"
            || local.StartsWith("stepwise_", StringComparison.OrdinalIgnoreCase)
            || local.StartsWith("_sw_", StringComparison.OrdinalIgnoreCase)
            || HistoryTables.Contains(local);
    }
}
