using Stepwise.Engines;

namespace Stepwise.Migrations.Schema;

/// <summary>What differs between two schema snapshots.</summary>
public enum SchemaChangeKind
{
    /// <summary>A table (or view) exists only in the second snapshot.</summary>
    TableAdded,

    /// <summary>A table (or view) exists only in the first snapshot.</summary>
    TableRemoved,

    /// <summary>A column exists only in the second snapshot.</summary>
    ColumnAdded,

    /// <summary>A column exists only in the first snapshot.</summary>
    ColumnRemoved,

    /// <summary>A column's type differs.</summary>
    ColumnTypeChanged,

    /// <summary>A column is NULL in one snapshot and NOT NULL in the other.</summary>
    ColumnNullabilityChanged,

    /// <summary>A column's default differs.</summary>
    ColumnDefaultChanged,

    /// <summary>A column's identity / auto-increment / generation differs.</summary>
    ColumnIdentityChanged,

    /// <summary>An index exists only in the second snapshot.</summary>
    IndexAdded,

    /// <summary>An index exists only in the first snapshot.</summary>
    IndexRemoved,

    /// <summary>An index's definition differs.</summary>
    IndexChanged,

    /// <summary>A constraint exists only in the second snapshot.</summary>
    ConstraintAdded,

    /// <summary>A constraint exists only in the first snapshot.</summary>
    ConstraintRemoved,

    /// <summary>A constraint's definition differs.</summary>
    ConstraintChanged,

    /// <summary>A trigger exists only in the second snapshot.</summary>
    TriggerAdded,

    /// <summary>A trigger exists only in the first snapshot.</summary>
    TriggerRemoved,

    /// <summary>A trigger's definition differs.</summary>
    TriggerChanged,

    /// <summary>An enum type exists only in the second snapshot.</summary>
    EnumAdded,

    /// <summary>An enum type exists only in the first snapshot.</summary>
    EnumRemoved,

    /// <summary>An enum type's values (or their order) differ.</summary>
    EnumValuesChanged,
}

/// <summary>One difference between two snapshots, "expected" (first) against "actual" (second).</summary>
/// <param name="Kind">What differs.</param>
/// <param name="Table">The table (or, for an enum change, the enum type).</param>
/// <param name="Name">The column, index, constraint or trigger; null for a table or enum change.</param>
/// <param name="Before">The object in the first snapshot, as text (type, definition, values…); null when absent.</param>
/// <param name="After">The object in the second snapshot, as text; null when absent.</param>
public sealed record SchemaDifference(SchemaChangeKind Kind, string Table, string? Name, string? Before, string? After);

/// <summary>Compares two <see cref="SchemaSnapshot"/>s into a typed list of differences, in table order (pure).</summary>
public static class SchemaDiff
{
    /// <summary>Every difference from <paramref name="before"/> to <paramref name="after"/>; empty when equal.
    /// Column order is not compared (a column dropped and added again comes back last).</summary>
    public static IReadOnlyList<SchemaDifference> Compare(SchemaSnapshot before, SchemaSnapshot after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var list = new List<SchemaDifference>();
        var left = before.Tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var right = after.Tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var name in left.Keys.Union(right.Keys).Order(StringComparer.Ordinal))
        {
            var a = left.GetValueOrDefault(name);
            var b = right.GetValueOrDefault(name);
            if (a is null)
            {
                list.Add(new SchemaDifference(SchemaChangeKind.TableAdded, name, null, null, Describe(b!)));
            }
            else if (b is null)
            {
                list.Add(new SchemaDifference(SchemaChangeKind.TableRemoved, name, null, Describe(a), null));
            }
            else
            {
                CompareTables(a, b, list);
            }
        }

        var enumsA = before.Enums.ToDictionary(e => e.Name, StringComparer.Ordinal);
        var enumsB = after.Enums.ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var name in enumsA.Keys.Union(enumsB.Keys).Order(StringComparer.Ordinal))
        {
            var a = enumsA.GetValueOrDefault(name);
            var b = enumsB.GetValueOrDefault(name);
            if (a is null || b is null)
            {
                list.Add(new SchemaDifference(a is null ? SchemaChangeKind.EnumAdded : SchemaChangeKind.EnumRemoved, name, null, Values(a), Values(b)));
            }
            else if (!a.Values.SequenceEqual(b.Values, StringComparer.Ordinal))
            {
                list.Add(new SchemaDifference(SchemaChangeKind.EnumValuesChanged, name, null, Values(a), Values(b)));
            }
        }

        return list;
    }

    /// <summary>A table (or view) as one line: its columns with types.</summary>
    public static string Describe(TableShape table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return (table.IsView ? "view (" : "(") + string.Join(", ", table.Columns.Select(Describe)) + ")";
    }

    /// <summary>A column as <c>type [NOT NULL] [DEFAULT x] [identity]</c>.</summary>
    public static string Describe(ColumnShape column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return column.Name + " " + column.Type + (column.Nullable ? string.Empty : " NOT NULL") + (column.Default is { } d ? " DEFAULT " + d : string.Empty) + (column.Identity is { } i ? " " + i : string.Empty);
    }

    private static string? Values(EnumShape? shape) => shape is null ? null : "(" + string.Join(", ", shape.Values.Select(v => "'" + v + "'")) + ")";

    private static void CompareTables(TableShape a, TableShape b, List<SchemaDifference> list)
    {
        var table = a.Name;
        if (a.IsView != b.IsView)
        {
            list.Add(new SchemaDifference(SchemaChangeKind.TableRemoved, table, null, Describe(a), null));
            list.Add(new SchemaDifference(SchemaChangeKind.TableAdded, table, null, null, Describe(b)));
            return;
        }

        var columnsB = b.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (var ca in a.Columns)
        {
            if (!columnsB.TryGetValue(ca.Name, out var cb))
            {
                list.Add(new SchemaDifference(SchemaChangeKind.ColumnRemoved, table, ca.Name, Describe(ca), null));
                continue;
            }

            if (ca.Type != cb.Type)
            {
                list.Add(new SchemaDifference(SchemaChangeKind.ColumnTypeChanged, table, ca.Name, ca.Type, cb.Type));
            }

            if (ca.Nullable != cb.Nullable)
            {
                list.Add(new SchemaDifference(SchemaChangeKind.ColumnNullabilityChanged, table, ca.Name, ca.Nullable ? "NULL" : "NOT NULL", cb.Nullable ? "NULL" : "NOT NULL"));
            }

            if (ca.Default != cb.Default)
            {
                list.Add(new SchemaDifference(SchemaChangeKind.ColumnDefaultChanged, table, ca.Name, ca.Default, cb.Default));
            }

            if (ca.Identity != cb.Identity)
            {
                list.Add(new SchemaDifference(SchemaChangeKind.ColumnIdentityChanged, table, ca.Name, ca.Identity, cb.Identity));
            }
        }

        var columnsA = a.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var cb in b.Columns.Where(c => !columnsA.Contains(c.Name)))
        {
            list.Add(new SchemaDifference(SchemaChangeKind.ColumnAdded, table, cb.Name, null, Describe(cb)));
        }

        Named(table, a.Indexes, b.Indexes, i => i.Name, Describe, SchemaChangeKind.IndexAdded, SchemaChangeKind.IndexRemoved, SchemaChangeKind.IndexChanged, list);
        Named(table, a.Constraints, b.Constraints, c => c.Name, c => c.Definition, SchemaChangeKind.ConstraintAdded, SchemaChangeKind.ConstraintRemoved, SchemaChangeKind.ConstraintChanged, list);
        Named(table, a.Triggers, b.Triggers, t => t.Name, t => t.Definition, SchemaChangeKind.TriggerAdded, SchemaChangeKind.TriggerRemoved, SchemaChangeKind.TriggerChanged, list);
    }

    private static string Describe(IndexShape index) =>
        index.Definition.Length > 0 ? index.Definition : (index.Unique ? "UNIQUE " : string.Empty) + "(" + string.Join(", ", index.Columns) + ")";

    private static void Named<T>(string table, IReadOnlyList<T> a, IReadOnlyList<T> b, Func<T, string> name, Func<T, string> text, SchemaChangeKind added, SchemaChangeKind removed, SchemaChangeKind changed, List<SchemaDifference> list)
    {
        var left = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var x in a)
        {
            left[name(x)] = text(x);
        }

        var right = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var x in b)
        {
            right[name(x)] = text(x);
        }

        foreach (var key in left.Keys.Union(right.Keys).Order(StringComparer.Ordinal))
        {
            var inA = left.TryGetValue(key, out var ta);
            var inB = right.TryGetValue(key, out var tb);
            if (!inB)
            {
                list.Add(new SchemaDifference(removed, table, key, ta, null));
            }
            else if (!inA)
            {
                list.Add(new SchemaDifference(added, table, key, null, tb));
            }
            else if (ta != tb)
            {
                list.Add(new SchemaDifference(changed, table, key, ta, tb));
            }
        }
    }
}
