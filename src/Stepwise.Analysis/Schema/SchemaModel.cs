using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Schema;

/// <summary>The database schema as the migrations replayed so far leave it. Keys are normalised names
/// (see <see cref="ObjectName.Key"/>).</summary>
public sealed class SchemaModel
{
    /// <summary>An empty schema.</summary>
    public SchemaModel()
        : this(new SchemaMap<TableModel>(t => t.Clone()), new SchemaMap<IndexModel>(i => i with { }, i => i.TableKey), new SchemaMap<List<string>>(e => [.. e]))
    {
    }

    private SchemaModel(SchemaMap<TableModel> tables, SchemaMap<IndexModel> indexes, SchemaMap<List<string>> enums)
    {
        Tables = tables;
        Indexes = indexes;
        EnumTypes = enums;
    }

    /// <summary>The tables, by <see cref="ObjectName.Key"/>.</summary>
    public SchemaMap<TableModel> Tables { get; }

    /// <summary>The indexes, by index key (grouped by their table's key, see <see cref="IndexesOn"/>).</summary>
    public SchemaMap<IndexModel> Indexes { get; }

    /// <summary>PostgreSQL enum types, by key: their labels in order.</summary>
    public SchemaMap<List<string>> EnumTypes { get; }

    /// <summary>The table of that name, as a changeable object of this schema, or null when it is not known.</summary>
    public TableModel? Table(ObjectName name) => Tables.GetValueOrDefault(name.Key);

    /// <summary>The indexes of a table, as changeable objects of this schema.</summary>
    public List<IndexModel> IndexesOn(string tableKey) => Indexes.InGroup(tableKey);

    /// <summary>A schema on top of this one: it sees everything here, and its changes stay its own.</summary>
    public SchemaModel Layer() => new(Tables.Layer(), Indexes.Layer(), EnumTypes.Layer());
}

/// <summary>One table of the replayed schema: its columns and constraints (indexes live in <see cref="SchemaModel.Indexes"/>).</summary>
public sealed class TableModel
{
    /// <summary>A table without columns.</summary>
    /// <param name="key">The table's key (see <see cref="ObjectName.Key"/>).</param>
    /// <param name="createdIn">The path of the migration that created it.</param>
    public TableModel(string key, string createdIn)
    {
        Key = key;
        CreatedIn = createdIn;
    }

    /// <summary>The table's key (see <see cref="ObjectName.Key"/>); changes when the table is renamed.</summary>
    public string Key { get; set; }

    /// <summary>The path of the migration that created the table.</summary>
    public string CreatedIn { get; }

    private readonly List<ColumnModel> _columns = [];

    // by name, so replaying thousands of ADD COLUMNs stays linear
    private readonly Dictionary<string, ColumnModel> _byName = new(StringComparer.Ordinal);

    /// <summary>Columns in definition order.</summary>
    public IReadOnlyList<ColumnModel> Columns => _columns;

    /// <summary>The table's constraints, in the order they were added.</summary>
    public List<ConstraintModel> Constraints { get; } = [];

    /// <summary>The column of that (normalised) name, or null.</summary>
    public ColumnModel? Column(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Appends a column; does nothing when one of that name exists.</summary>
    public void AddColumn(ColumnModel column)
    {
        if (_byName.TryAdd(column.Name, column))
        {
            _columns.Add(column);
        }
    }

    /// <summary>Removes the column of that name, if any.</summary>
    public void RemoveColumn(string name)
    {
        if (_byName.Remove(name, out var column))
        {
            _columns.Remove(column);
        }
    }

    /// <summary>Renames a column in place (its position stays); does nothing when <paramref name="from"/> is unknown.</summary>
    public void RenameColumn(string from, string to)
    {
        if (_byName.Remove(from, out var column))
        {
            column.Name = to;
            _byName[to] = column;
        }
    }

    /// <summary>A deep copy: columns and constraints are copied too.</summary>
    public TableModel Clone()
    {
        var t = new TableModel(Key, CreatedIn);
        foreach (var c in _columns)
        {
            t.AddColumn(c with { });
        }

        t.Constraints.AddRange(Constraints.Select(c => c with { }));
        return t;
    }
}

/// <summary>One column of a replayed table.</summary>
/// <param name="Name">The column name, normalised.</param>
/// <param name="Type">The declared type; null when unknown (not written, or the column was only seen in use).</param>
/// <param name="NotNull">The column rejects nulls (NOT NULL or PRIMARY KEY).</param>
/// <param name="HasDefault">The column has a default (DEFAULT, identity, auto-increment).</param>
public sealed record ColumnModel(string Name, DataType? Type, bool NotNull, bool HasDefault)
{
    /// <summary>The declared type; null when unknown.</summary>
    public DataType? Type { get; set; } = Type;

    /// <summary>The column rejects nulls.</summary>
    public bool NotNull { get; set; } = NotNull;

    /// <summary>The column has a default (DEFAULT, identity, auto-increment).</summary>
    public bool HasDefault { get; set; } = HasDefault;

    /// <summary>The column name, normalised; changes when the column is renamed.</summary>
    public string Name { get; set; } = Name;
}

/// <summary>One constraint of a replayed table.</summary>
/// <param name="Name">The constraint's name, or null when unnamed.</param>
/// <param name="Kind">What the constraint is.</param>
/// <param name="Columns">The constrained (for a foreign key: the referencing) columns.</param>
/// <param name="Validated">Existing rows were checked (false for PostgreSQL NOT VALID until VALIDATE CONSTRAINT).</param>
/// <param name="CheckText">The body of a CHECK as written, or null.</param>
/// <param name="References">The target of a foreign key, or null.</param>
/// <param name="CreatedIn">The path of the migration that added the constraint.</param>
public sealed record ConstraintModel(string? Name, ConstraintKind Kind, IReadOnlyList<string> Columns, bool Validated, string? CheckText, ForeignKeyReference? References, string CreatedIn)
{
    /// <summary>Existing rows were checked; set when VALIDATE CONSTRAINT is replayed.</summary>
    public bool Validated { get; set; } = Validated;

    /// <summary>The constrained columns; follows column renames.</summary>
    public IReadOnlyList<string> Columns { get; set; } = Columns;

    /// <summary>True for CHECK (col IS NOT NULL) on exactly this column (what lets SET NOT NULL skip its scan).</summary>
    public bool ProvesNotNull(string column)
    {
        if (Kind != ConstraintKind.Check || CheckText is null)
        {
            return false;
        }

        var text = string.Join(' ', CheckText.Replace("(", " ", StringComparison.Ordinal).Replace(")", " ", StringComparison.Ordinal).Replace("\"", string.Empty, StringComparison.Ordinal)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        return string.Equals(text, column + " is not null", StringComparison.Ordinal);
    }
}

/// <summary>One index of the replayed schema.</summary>
/// <param name="Name">The index's key: its name, or a made-up table_columns_idx name when none was given.</param>
/// <param name="TableKey">The key of the indexed table.</param>
/// <param name="Columns">The key columns in order (an expression key is kept as its text).</param>
/// <param name="Unique">A unique index.</param>
/// <param name="Partial">A partial index (it has a WHERE predicate).</param>
/// <param name="CreatedIn">The path of the migration that created the index.</param>
public sealed record IndexModel(string Name, string TableKey, IReadOnlyList<string> Columns, bool Unique, bool Partial, string CreatedIn)
{
    /// <summary>The key of the indexed table; follows table renames.</summary>
    public string TableKey { get; set; } = TableKey;

    /// <summary>The key columns in order; follows column renames.</summary>
    public IReadOnlyList<string> Columns { get; set; } = Columns;
}
