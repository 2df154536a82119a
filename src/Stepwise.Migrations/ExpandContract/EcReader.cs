using Stepwise.Engines;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Migrations.ExpandContract;

/// <summary>
/// Reads the <see cref="EcChange"/> records of a <c>-- stepwise:expand-contract</c> file from its parsed statements
/// (any dialect): renames, type changes (PostgreSQL ALTER COLUMN … TYPE [USING]; MySQL MODIFY / CHANGE), SET NOT
/// NULL, NOT NULL columns added (with their DEFAULT or a <c>-- stepwise:fill</c> value), column and table drops,
/// table renames (ALTER … RENAME TO; MySQL RENAME TABLE). Every other statement (or the other actions of an ALTER
/// TABLE, kept together as one ALTER) is an <see cref="EcStatement"/> that the engine runs in its safe form.
/// </summary>
public static class EcReader
{
    /// <summary>Reads the file; null with an error worded for the user when the file cannot run as expand/contract.</summary>
    public static EcFile? Read(ParsedScript parsed, out string? error)
    {
        var annotations = ExpandContractDirective.Annotations(parsed.Source.Text, out error);
        if (error is not null)
        {
            return null;
        }

        var used = new HashSet<int>();
        var changes = new List<EcChange>();
        var tables = new List<string>();
        foreach (var statement in parsed.Statements)
        {
            var sql = parsed.Source.ToString(statement.Span);
            if (sql.Length == 0)
            {
                continue;
            }

            foreach (var t in TablesOf(statement))
            {
                if (!tables.Contains(t, StringComparer.Ordinal))
                {
                    tables.Add(t);
                }
            }

            switch (statement)
            {
                case TransactionStatement:
                    error = $"`{Short(sql)}`: an expand/contract file runs in steps that Stepwise commits itself; remove the file's own transaction statements";
                    return null;
                case AlterTableStatement alter:
                    if (!ReadAlter(parsed, alter, annotations, used, changes, out error))
                    {
                        return null;
                    }

                    break;
                case RenameTableStatement rename:
                    changes.AddRange(rename.Renames.Select(r => new EcRenameTable(r.From.Key, r.To.Key)));
                    break;
                case DropTableStatement { Temporary: false } drop:
                    changes.AddRange(drop.Tables.Select(t => new EcDropTable(t.Key)));
                    break;
                default:
                    changes.Add(new EcStatement(TablesOf(statement).FirstOrDefault(), sql, statement));
                    break;
            }
        }

        if (changes.Count == 0)
        {
            error = "the file has no statements";
            return null;
        }

        var unused = annotations.Where((_, i) => !used.Contains(i)).Select(a => $"{a.Prefix} {a.Column}").FirstOrDefault();
        if (unused is not null)
        {
            error = $"`{unused} = …` names no column the file adds NOT NULL (fill) or changes the type of (old-value)";
            return null;
        }

        return new EcFile(changes, tables);
    }

    /// <summary>The tables a statement names (key form): the ones it changes, reads into or renames (both names).</summary>
    public static IReadOnlyList<string> TablesOf(Statement statement) => statement switch
    {
        AlterTableStatement a => [a.Table.Key, .. a.Actions.OfType<RenameTableAction>().Select(r => r.NewName.Key),
            .. a.Actions.OfType<AddConstraintAction>().Select(c => c.Constraint.References?.Table.Key).OfType<string>()],
        CreateTableStatement c => [c.Table.Key],
        DropTableStatement d => [.. d.Tables.Select(t => t.Key)],
        RenameTableStatement r => [.. r.Renames.SelectMany(x => new[] { x.From.Key, x.To.Key })],
        CreateIndexStatement i => [i.Table.Key],
        DropIndexStatement { Table: { } t } => [t.Key],
        UpdateStatement u => [u.Table.Key],
        DeleteStatement d => [d.Table.Key],
        InsertStatement i => [i.Table.Key],
        TruncateStatement t => [.. t.Tables.Select(x => x.Key)],
        CreateTriggerStatement { Table: { } t } => [t.Key],
        LockTableStatement l => [.. l.Tables.Select(x => x.Key)],
        VacuumStatement v => [.. v.Tables.Select(x => x.Key)],
        _ => [],
    };

    private static bool ReadAlter(ParsedScript parsed, AlterTableStatement alter, IReadOnlyList<(string Prefix, string Column, string Expression)> annotations, HashSet<int> used, List<EcChange> changes, out string? error)
    {
        error = null;
        var table = alter.Table.Key;
        var source = parsed.Source;
        var others = new List<AlterTableAction>();
        if (alter.Actions.All(IsOther))
        {
            changes.Add(new EcStatement(table, source.ToString(alter.Span), alter));
            return true;
        }

        void FlushOthers()
        {
            if (others.Count == 0)
            {
                return;
            }

            // the other actions of a split ALTER stay together, as one ALTER TABLE of the same table
            var sql = $"ALTER TABLE {source.ToString(alter.Table.Span)} {string.Join(", ", others.Select(a => source.ToString(a.Span)))}";
            var reparsed = ParsedScript.Parse(new SourceText(sql, source.Path), parsed.Dialect);
            changes.Add(new EcStatement(table, sql, reparsed.Statements.Count == 1 ? reparsed.Statements[0] : alter));
            others.Clear();
        }

        foreach (var action in alter.Actions)
        {
            if (IsOther(action))
            {
                others.Add(action);
                continue;
            }

            FlushOthers();
            switch (action)
            {
                case RenameColumnAction r:
                    changes.Add(new EcRenameColumn(table, r.Column, r.NewName));
                    break;
                case RenameTableAction r:
                    changes.Add(new EcRenameTable(table, r.NewName.Key));
                    break;
                case SetNotNullAction s:
                    changes.Add(new EcSetNotNull(table, s.Column));
                    break;
                case DropColumnAction d:
                    changes.Add(new EcDropColumn(table, d.Column));
                    break;
                case AlterColumnTypeAction t:
                    var definition = t.Definition is { } def ? source.ToString(TextSpan.FromBounds(t.NewType.Span.Start, Math.Max(t.NewType.Span.End, def.Span.End))) : null;
                    var oldValue = Find(annotations, used, ExpandContractDirective.OldValuePrefix, table, t.NewName ?? t.Column)
                        ?? (t.NewName is null ? null : Find(annotations, used, ExpandContractDirective.OldValuePrefix, table, t.Column));
                    changes.Add(new EcChangeColumnType(table, t.Column, t.NewType.Text, t.Using?.Text) { NewName = t.NewName, Definition = definition, OldValue = oldValue });
                    break;
                case AddColumnAction add:
                    var column = add.Column;
                    var fill = Find(annotations, used, ExpandContractDirective.FillPrefix, table, column.Name) ?? column.Default?.Text;
                    if (fill is null)
                    {
                        error = $"ALTER TABLE {table} ADD COLUMN {column.Name} … NOT NULL has no DEFAULT: say what existing rows (and the old release's inserts) get with a line `{ExpandContractDirective.FillPrefix} {column.Name} = EXPR`";
                        return false;
                    }

                    changes.Add(new EcAddRequiredColumn(table, column.Name, column.Type?.Text ?? string.Empty, fill, column.Default?.Text));
                    break;
            }
        }

        FlushOthers();
        return true;
    }

    /// <summary>An action expand/contract does not turn into a change of its own (it runs as written, in its safe form).</summary>
    private static bool IsOther(AlterTableAction action) => action switch
    {
        RenameColumnAction or RenameTableAction or SetNotNullAction or DropColumnAction or AlterColumnTypeAction => false,
        AddColumnAction add => !add.Column.NotNull || add.Column.PrimaryKey || add.Column.GeneratedStored is not null || add.Column.GeneratedVirtual || add.Column.Identity != IdentityKind.None,
        _ => true,
    };

    private static string? Find(IReadOnlyList<(string Prefix, string Column, string Expression)> annotations, HashSet<int> used, string prefix, string table, string column)
    {
        for (var i = 0; i < annotations.Count; i++)
        {
            var a = annotations[i];
            if (string.Equals(a.Prefix, prefix, StringComparison.Ordinal)
                && (string.Equals(a.Column, column, StringComparison.Ordinal) || string.Equals(a.Column, table + "." + column, StringComparison.Ordinal)))
            {
                used.Add(i);
                return a.Expression;
            }
        }

        return null;
    }

    private static string Short(string sql)
    {
        var one = string.Join(' ', sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return one.Length > 60 ? one[..57] + "..." : one;
    }
}
