using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Schema;

/// <summary>The database schema as the migrations replayed so far leave it. Keys are normalised names
/// (see <see cref="ObjectName.Key"/>).</summary>
public sealed class SchemaModel
{
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

    public SchemaMap<TableModel> Tables { get; }

    public SchemaMap<IndexModel> Indexes { get; }

    public SchemaMap<List<string>> EnumTypes { get; }

    public TableModel? Table(ObjectName name) => Tables.GetValueOrDefault(name.Key);

    /// <summary>The indexes of a table, as changeable objects of this schema.</summary>
    public List<IndexModel> IndexesOn(string tableKey) => Indexes.InGroup(tableKey);

    /// <summary>A schema on top of this one: it sees everything here, and its changes stay its own.</summary>
    public SchemaModel Layer() => new(Tables.Layer(), Indexes.Layer(), EnumTypes.Layer());
}

public sealed class TableModel
{
    public TableModel(string key, string createdIn)
    {
        Key = key;
        CreatedIn = createdIn;
    }

    public string Key { get; set; }

    /// <summary>The path of the migration that created the table.</summary>
    public string CreatedIn { get; }

    private readonly List<ColumnModel> _columns = [];

    // by name, so replaying thousands of ADD COLUMNs stays linear
    private readonly Dictionary<string, ColumnModel> _byName = new(StringComparer.Ordinal);

    /// <summary>Columns in definition order.</summary>
    public IReadOnlyList<ColumnModel> Columns => _columns;

    public List<ConstraintModel> Constraints { get; } = [];

    public ColumnModel? Column(string name) => _byName.GetValueOrDefault(name);

    public void AddColumn(ColumnModel column)
    {
        if (_byName.TryAdd(column.Name, column))
        {
            _columns.Add(column);
        }
    }

    public void RemoveColumn(string name)
    {
        if (_byName.Remove(name, out var column))
        {
            _columns.Remove(column);
        }
    }

    public void RenameColumn(string from, string to)
    {
        if (_byName.Remove(from, out var column))
        {
            column.Name = to;
            _byName[to] = column;
        }
    }

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

public sealed record ColumnModel(string Name, DataType? Type, bool NotNull, bool HasDefault)
{
    public DataType? Type { get; set; } = Type;

    public bool NotNull { get; set; } = NotNull;

    public bool HasDefault { get; set; } = HasDefault;

    public string Name { get; set; } = Name;
}

public sealed record ConstraintModel(string? Name, ConstraintKind Kind, IReadOnlyList<string> Columns, bool Validated, string? CheckText, ForeignKeyReference? References, string CreatedIn)
{
    public bool Validated { get; set; } = Validated;

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

public sealed record IndexModel(string Name, string TableKey, IReadOnlyList<string> Columns, bool Unique, bool Partial, string CreatedIn)
{
    public string TableKey { get; set; } = TableKey;

    public IReadOnlyList<string> Columns { get; set; } = Columns;
}
