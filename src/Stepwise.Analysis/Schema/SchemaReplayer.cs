using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Schema;

/// <summary>Applies one statement's effect to a schema model. Statements it does not understand change
/// nothing; a statement on an unknown table creates what it needs, so later rules still see the column.</summary>
public static class SchemaReplayer
{
    /// <summary>Changes <paramref name="schema"/> as <paramref name="statement"/> would.</summary>
    /// <param name="schema">The schema to change.</param>
    /// <param name="statement">A statement of the migration being replayed.</param>
    /// <param name="path">The migration's path, recorded as what created new tables, constraints and indexes.</param>
    public static void Apply(SchemaModel schema, Statement statement, string path)
    {
        switch (statement)
        {
            case CreateTableStatement create when !create.Temporary:
                CreateTable(schema, create, path);
                break;
            case AlterTableStatement alter:
                AlterTable(schema, alter, path);
                break;
            case DropTableStatement drop:
                foreach (var name in drop.Tables)
                {
                    schema.Tables.Remove(name.Key);
                    foreach (var index in schema.IndexesOn(name.Key).ToList())
                    {
                        schema.Indexes.Remove(index.Name);
                    }
                }

                break;
            case RenameTableStatement rename:
                foreach (var (from, to) in rename.Renames)
                {
                    RenameTable(schema, from.Key, to.Key);
                }

                break;
            case CreateIndexStatement index:
                var key = index.Name?.Key ?? $"{index.Table.Name}_{string.Join('_', index.Columns)}_idx";
                schema.Indexes[key] = new IndexModel(key, index.Table.Key, index.Columns, index.Unique, index.Where is not null, path);
                break;
            case DropIndexStatement dropIndex:
                foreach (var name in dropIndex.Indexes)
                {
                    schema.Indexes.Remove(name.Key);
                }

                break;
            case CreateTypeStatement type when type.IsEnum:
                schema.EnumTypes[type.Name.Key] = [.. type.EnumValues];
                break;
            case AlterTypeStatement alterType when alterType.AddedValue is not null && schema.EnumTypes.TryGetValue(alterType.Name.Key, out var values):
                values.Add(alterType.AddedValue);
                break;
            case AlterTypeStatement { RenamedValue: { } renamed } alterType when schema.EnumTypes.TryGetValue(alterType.Name.Key, out var values):
                var at = values.IndexOf(renamed.From);
                if (at >= 0)
                {
                    values[at] = renamed.To;
                }

                break;
            case AlterTypeStatement { NewName: { } newName } alterType:
                RenameType(schema, alterType.Name, newName);
                break;
            case CreateViewStatement view when !view.Temporary && !schema.Tables.ContainsKey(view.Name.Key):
                // a relation later statements may index, refresh or read; its columns are not tracked
                schema.Tables[view.Name.Key] = new TableModel(view.Name.Key, path);
                break;
        }
    }

    /// <summary>ALTER TYPE a RENAME TO b: the enum's values and every column of that type follow the new name.
    /// Rare enough that looking at every table is fine.</summary>
    private static void RenameType(SchemaModel schema, ObjectName from, ObjectName to)
    {
        if (schema.EnumTypes.Remove(from.Key, out var values))
        {
            schema.EnumTypes[to.Key] = values;
        }

        var typeName = from.Name;
        var changed = schema.Tables.Values
            .Where(t => t.Columns.Any(c => c.Type is { } type && string.Equals(type.Name, typeName, StringComparison.Ordinal)))
            .Select(t => t.Key)
            .ToList();
        foreach (var key in changed)
        {
            var table = schema.Tables[key];
            foreach (var column in table.Columns)
            {
                if (column.Type is { } type && string.Equals(type.Name, typeName, StringComparison.Ordinal))
                {
                    column.Type = type with { Name = to.Name, Text = to.Name + (type.IsArray ? "[]" : string.Empty) };
                }
            }
        }
    }

    private static void CreateTable(SchemaModel schema, CreateTableStatement create, string path)
    {
        var table = new TableModel(create.Table.Key, path);
        foreach (var column in create.Columns)
        {
            table.AddColumn(new ColumnModel(column.Name, column.Type, column.NotNull || column.PrimaryKey, column.Default is not null || column.Identity != IdentityKind.None));
        }

        foreach (var constraint in create.Constraints)
        {
            AddConstraint(schema, table, constraint, path);
            if (constraint.Kind == ConstraintKind.PrimaryKey)
            {
                foreach (var name in constraint.Columns)
                {
                    var column = table.Column(name);
                    column?.NotNull = true;
                }
            }
        }

        schema.Tables[table.Key] = table;
    }

    private static void AddConstraint(SchemaModel schema, TableModel table, TableConstraint constraint, string path)
    {
        table.Constraints.Add(new ConstraintModel(constraint.Name, constraint.Kind, constraint.Columns, !constraint.NotValid, constraint.Check?.Text, constraint.References, path));
        // PRIMARY KEY, UNIQUE and MySQL KEY/INDEX build an index that covers their columns
        if (constraint.Kind is ConstraintKind.PrimaryKey or ConstraintKind.Unique or ConstraintKind.Index or ConstraintKind.FullText)
        {
            var name = constraint.UsingIndex ?? constraint.Name ?? $"{table.Key}_{string.Join('_', constraint.Columns)}_{(constraint.Kind == ConstraintKind.PrimaryKey ? "pkey" : "key")}";
            if (constraint.UsingIndex is not null && schema.Indexes.TryGetValue(constraint.UsingIndex, out var existing))
            {
                schema.Indexes.Remove(constraint.UsingIndex);
                schema.Indexes[constraint.Name ?? constraint.UsingIndex] = existing with { Name = constraint.Name ?? constraint.UsingIndex, Unique = true };
                return;
            }

            schema.Indexes[name] = new IndexModel(name, table.Key, constraint.Columns, constraint.Kind is ConstraintKind.PrimaryKey or ConstraintKind.Unique, false, path);
        }
    }

    private static TableModel Ensure(SchemaModel schema, ObjectName name, string path)
    {
        if (!schema.Tables.TryGetValue(name.Key, out var table))
        {
            // a table created outside the migrations we can see (or by an opaque statement): track it anyway
            table = new TableModel(name.Key, path);
            schema.Tables[name.Key] = table;
        }

        return table;
    }

    private static ColumnModel EnsureColumn(TableModel table, string name)
    {
        var column = table.Column(name);
        if (column is null)
        {
            column = new ColumnModel(name, null, false, false);
            table.AddColumn(column);
        }

        return column;
    }

    private static void AlterTable(SchemaModel schema, AlterTableStatement alter, string path)
    {
        var table = Ensure(schema, alter.Table, path);
        foreach (var action in alter.Actions)
        {
            switch (action)
            {
                case AddColumnAction add:
                    if (table.Column(add.Column.Name) is null)
                    {
                        var c = add.Column;
                        table.AddColumn(new ColumnModel(c.Name, c.Type, c.NotNull || c.PrimaryKey, c.Default is not null || c.Identity != IdentityKind.None));
                        var inline = new List<TableConstraint>();
                        if (c.PrimaryKey)
                        {
                            inline.Add(new TableConstraint { Kind = ConstraintKind.PrimaryKey, Columns = [c.Name] });
                        }

                        if (c.Unique)
                        {
                            inline.Add(new TableConstraint { Kind = ConstraintKind.Unique, Columns = [c.Name] });
                        }

                        if (c.References is not null)
                        {
                            inline.Add(new TableConstraint { Kind = ConstraintKind.ForeignKey, Columns = [c.Name], References = c.References });
                        }

                        if (c.Check is not null)
                        {
                            inline.Add(new TableConstraint { Kind = ConstraintKind.Check, Columns = [c.Name], Check = c.Check });
                        }

                        foreach (var constraint in inline)
                        {
                            AddConstraint(schema, table, constraint, path);
                        }
                    }

                    break;
                case DropColumnAction drop:
                    table.RemoveColumn(drop.Column);
                    table.Constraints.RemoveAll(c => c.Columns.Contains(drop.Column, StringComparer.Ordinal));
                    foreach (var index in schema.IndexesOn(table.Key).Where(i => i.Columns.Contains(drop.Column, StringComparer.Ordinal)).ToList())
                    {
                        schema.Indexes.Remove(index.Name);
                    }

                    break;
                case AlterColumnTypeAction type:
                    {
                        var column = EnsureColumn(table, type.Column);
                        column.Type = type.NewType;
                        if (type.Definition is not null)
                        {
                            // MySQL MODIFY/CHANGE restates the whole column
                            column.NotNull = type.Definition.NotNull || type.Definition.PrimaryKey;
                            column.HasDefault = type.Definition.Default is not null;
                        }

                        if (type.NewName is not null)
                        {
                            RenameColumn(schema, table, type.Column, type.NewName);
                        }

                        break;
                    }

                case SetNotNullAction setNotNull:
                    EnsureColumn(table, setNotNull.Column).NotNull = true;
                    break;
                case DropNotNullAction dropNotNull:
                    EnsureColumn(table, dropNotNull.Column).NotNull = false;
                    break;
                case SetDefaultAction setDefault:
                    EnsureColumn(table, setDefault.Column).HasDefault = true;
                    break;
                case DropDefaultAction dropDefault:
                    EnsureColumn(table, dropDefault.Column).HasDefault = false;
                    break;
                case RenameColumnAction rename:
                    RenameColumn(schema, table, rename.Column, rename.NewName);
                    break;
                case RenameTableAction renameTable:
                    RenameTable(schema, table.Key, renameTable.NewName.Key);
                    break;
                case AddConstraintAction add:
                    AddConstraint(schema, table, add.Constraint, path);
                    break;
                case ValidateConstraintAction validate:
                    foreach (var constraint in table.Constraints.Where(c => string.Equals(c.Name, validate.Name, StringComparison.Ordinal)))
                    {
                        constraint.Validated = true;
                    }

                    break;
                case DropConstraintAction drop:
                    if (drop.MySqlKind == ConstraintKind.PrimaryKey)
                    {
                        table.Constraints.RemoveAll(c => c.Kind == ConstraintKind.PrimaryKey);
                    }
                    else
                    {
                        table.Constraints.RemoveAll(c => string.Equals(c.Name, drop.Name, StringComparison.Ordinal));
                        schema.Indexes.Remove(drop.Name);
                    }

                    break;
            }
        }
    }

    private static void RenameColumn(SchemaModel schema, TableModel table, string from, string to)
    {
        table.RenameColumn(from, to);

        static IReadOnlyList<string> Swap(IReadOnlyList<string> columns, string from, string to) =>
            columns.Select(c => string.Equals(c, from, StringComparison.Ordinal) ? to : c).ToList();

        foreach (var constraint in table.Constraints)
        {
            constraint.Columns = Swap(constraint.Columns, from, to);
        }

        foreach (var index in schema.IndexesOn(table.Key))
        {
            index.Columns = Swap(index.Columns, from, to);
        }
    }

    private static void RenameTable(SchemaModel schema, string from, string to)
    {
        if (!schema.Tables.Remove(from, out var table))
        {
            return;
        }

        table.Key = to;
        schema.Tables[to] = table;
        foreach (var index in schema.IndexesOn(from))
        {
            index.TableKey = to;
            schema.Indexes[index.Name] = index; // files it under its new table
        }
    }
}
