namespace Stepwise.Engines;

// The schema as the database itself reports it (not as the linter replays it): what `verify`, `diff` and `trace`
// compare and seed. Engines fill it from their catalogs (ISchemaReader); the core compares two snapshots.
// Names are unquoted; a table outside the default schema is `schema.name`. Stepwise's own tables
// (stepwise_*), other tools' history tables and expand/contract helper objects (`_sw_…`) are left out.

/// <summary>A database's schema at one moment.</summary>
/// <param name="Tables">Every user table (and view, <see cref="TableShape.IsView"/>), ordered by name.</param>
/// <param name="Enums">PostgreSQL enum types with their values in order (empty elsewhere: MySQL enums are column types).</param>
public sealed record SchemaSnapshot(IReadOnlyList<TableShape> Tables, IReadOnlyList<EnumShape> Enums);

/// <summary>One table or view.</summary>
/// <param name="Name">Unquoted; <c>schema.name</c> outside the default schema.</param>
/// <param name="Columns">In column order.</param>
/// <param name="Indexes">Ordered by name (the primary key's index included on engines that name it).</param>
/// <param name="Constraints">Primary key, unique, check, foreign keys, ordered by name.</param>
/// <param name="Triggers">Ordered by name.</param>
/// <param name="IsView">True for a view (its columns are listed, nothing else).</param>
public sealed record TableShape(string Name, IReadOnlyList<ColumnShape> Columns, IReadOnlyList<IndexShape> Indexes, IReadOnlyList<ConstraintShape> Constraints, IReadOnlyList<TriggerShape> Triggers, bool IsView = false);

/// <summary>A column.</summary>
/// <param name="Name">Unquoted.</param>
/// <param name="Type">As the catalog names it, normalised by the engine so equal types compare equal (e.g. <c>bigint</c>, <c>character varying(300)</c>, <c>varchar(300)</c> on MySQL).</param>
/// <param name="Nullable">False when NOT NULL.</param>
/// <param name="Default">The default expression as the catalog shows it, or null.</param>
/// <param name="Identity">Identity / auto-increment / serial-owned sequence, or null (e.g. <c>identity always</c>, <c>auto_increment</c>).</param>
public sealed record ColumnShape(string Name, string Type, bool Nullable, string? Default, string? Identity = null);

/// <summary>An index.</summary>
/// <param name="Name">Unquoted.</param>
/// <param name="Columns">Key columns or expressions in order, as the catalog shows them.</param>
/// <param name="Unique">True for a unique index.</param>
/// <param name="Definition">The engine's full definition (method, predicate, INCLUDE…), for a readable diff; compared too.</param>
public sealed record IndexShape(string Name, IReadOnlyList<string> Columns, bool Unique, string Definition);

/// <summary>The kinds of table constraint.</summary>
public enum ConstraintShapeKind
{
    /// <summary>PRIMARY KEY.</summary>
    PrimaryKey,

    /// <summary>UNIQUE.</summary>
    Unique,

    /// <summary>CHECK.</summary>
    Check,

    /// <summary>FOREIGN KEY.</summary>
    ForeignKey,

    /// <summary>EXCLUDE (PostgreSQL) or another kind.</summary>
    Other,
}

/// <summary>A table constraint.</summary>
/// <param name="Name">Unquoted (SQLite: the declared name, or a name the engine derives from kind and columns).</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Columns">The constrained columns in order (empty for a CHECK).</param>
/// <param name="Definition">The engine's definition text (e.g. <c>CHECK ((qty &gt; 0))</c>), compared and shown in a diff.</param>
/// <param name="References">For a foreign key: the referenced table and columns; null otherwise.</param>
public sealed record ConstraintShape(string Name, ConstraintShapeKind Kind, IReadOnlyList<string> Columns, string Definition, ForeignKeyTarget? References = null);

/// <summary>The referenced side of a foreign key.</summary>
/// <param name="Table">Unquoted, as in <see cref="TableShape.Name"/>.</param>
/// <param name="Columns">In the order matching the constrained columns.</param>
public sealed record ForeignKeyTarget(string Table, IReadOnlyList<string> Columns);

/// <summary>A trigger.</summary>
/// <param name="Name">Unquoted.</param>
/// <param name="Definition">Timing, events and action as the engine describes it.</param>
public sealed record TriggerShape(string Name, string Definition);

/// <summary>A PostgreSQL enum type.</summary>
/// <param name="Name">Unquoted, schema-qualified outside the default schema.</param>
/// <param name="Values">In sort order.</param>
public sealed record EnumShape(string Name, IReadOnlyList<string> Values);

/// <summary>Optional ability: read the schema from the catalog (read-only; never user data).</summary>
public interface ISchemaReader
{
    /// <summary>The current schema of the connected database.</summary>
    Task<SchemaSnapshot> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>Optional ability of a server engine (PostgreSQL, MySQL): create and drop a throwaway database on the
/// connected server, for `verify`, `diff` and `trace`. SQLite needs none (a temp file).</summary>
public interface IScratchDatabases
{
    /// <summary>Creates an empty database named <paramref name="name"/> (already checked to be <c>[a-z0-9_]</c>)
    /// and returns the target to reach it (same server, user and parameters).</summary>
    Task<DatabaseTarget> CreateAsync(string name, CancellationToken cancellationToken);

    /// <summary>Drops the database, ending other sessions on it first; no error when it does not exist.</summary>
    Task DropAsync(string name, CancellationToken cancellationToken);
}

/// <summary>Catalog statistics for size-aware lint (PostgreSQL reltuples/relpages, MySQL
/// information_schema.TABLES); never reads user data.</summary>
/// <param name="Table">Unquoted, as in <see cref="TableShape.Name"/>.</param>
/// <param name="Rows">The planner's row estimate (may be stale; 0 for never-analysed empty tables).</param>
/// <param name="Bytes">Table size on disk in bytes (data, plus indexes where the catalog counts them).</param>
public sealed record TableSize(string Table, long Rows, long Bytes);

/// <summary>Optional ability: the size of every user table from catalog statistics only.</summary>
public interface ITableSizes
{
    /// <summary>Every user table's estimated rows and bytes.</summary>
    Task<IReadOnlyList<TableSize>> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>A throwaway database server that Stepwise started itself (PostgreSQL or MariaDB/MySQL binaries found
/// on this machine), on 127.0.0.1 and a free port, in a temp folder; disposing stops it and removes the folder.</summary>
public interface ILocalServer : IAsyncDisposable
{
    /// <summary>A superuser login to the server's default database (create scratch databases from here).</summary>
    DatabaseTarget Server { get; }

    /// <summary>The server's version as its binaries report it.</summary>
    string Version { get; }
}
