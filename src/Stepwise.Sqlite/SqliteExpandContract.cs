using Microsoft.Data.Sqlite;
using Stepwise.Engines;
using static Stepwise.Sqlite.SqliteExpandContractText;

namespace Stepwise.Sqlite;

/// <summary>
/// SQLite's expand/contract plans. SQLite cannot assign NEW in a trigger, so the two shapes of a renamed column are
/// kept equal by AFTER INSERT / AFTER UPDATE OF triggers that <c>UPDATE t SET … WHERE rowid = NEW.rowid</c> (the
/// primary key for a WITHOUT ROWID table); a trigger never fires itself while recursive_triggers is off (SQLite's
/// default, refused when on). A renamed table keeps its old name as a view with INSTEAD OF triggers. SQLite has no
/// ALTER COLUMN TYPE / SET NOT NULL at all, so those changes are refused. Every statement is idempotent (IF [NOT]
/// EXISTS, or a <see cref="SqliteExpandContractText.Guard"/> the SQLite executor evaluates).
/// </summary>
internal sealed class SqliteExpandContract(SqliteSession session) : IExpandContractSql
{
    /// <summary>SQLite 3.35.0 added ALTER TABLE DROP COLUMN, which contract and abort use.</summary>
    private static readonly Version DropColumnSince = new(3, 35, 0);

    public Task<EcPlan> PlanAsync(string id, IReadOnlyList<EcChange> changes, CancellationToken cancellationToken) =>
        session.Run(c => PlanAsync(c, id, changes, cancellationToken));

    internal static async Task<EcPlan> PlanAsync(SqliteConnection connection, string id, IReadOnlyList<EcChange> changes, CancellationToken ct)
    {
        var version = await SqliteExpandContractCatalog.VersionAsync(connection, ct).ConfigureAwait(false);
        if (!Version.TryParse(version, out var parsed) || parsed < DropColumnSince)
        {
            throw new EcPlanException($"SQLite {version} has no ALTER TABLE DROP COLUMN (3.35.0 and later): expand/contract needs it for contract and abort.");
        }

        if (await SqliteExpandContractCatalog.RecursiveTriggersAsync(connection, ct).ConfigureAwait(false))
        {
            throw new EcPlanException("PRAGMA recursive_triggers is on: the expand phase's sync triggers update the row they fired for and would fire themselves again. Turn it off (SQLite's default) for the migration and the application's connections.");
        }

        var planner = new SqliteExpandContractPlanner(connection, id);
        await planner.AddAsync(changes, ct).ConfigureAwait(false);
        return planner.Build();
    }
}

/// <summary>Builds one plan: the steps of each change, then one pair of sync triggers per table.</summary>
internal sealed partial class SqliteExpandContractPlanner(SqliteConnection connection, string id)
{
    private readonly List<EcStep> _expand = [];
    private readonly List<EcStep> _contract = [];
    private readonly List<EcStep> _abort = []; // in expand order; reversed at Build
    private readonly List<EcBackfill> _backfills = [];
    private readonly List<string> _tables = [];
    private readonly List<EcOldName> _oldNames = [];
    private readonly Dictionary<string, SqliteEcTable> _shapes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<SyncPair>> _sync = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _droppedIndexes = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Two columns kept equal during expand; <paramref name="Default"/> is the DEFAULT both have (SQL text, null: none).</summary>
    private sealed record SyncPair(string Old, string New, string? Default);

    public async Task AddAsync(IReadOnlyList<EcChange> changes, CancellationToken ct)
    {
        var renamedTables = changes.OfType<EcRenameTable>().SelectMany(r => new[] { r.Table, r.NewName }).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var change in changes)
        {
            if (change is not EcRenameTable && renamedTables.Contains(change.Table))
            {
                throw new EcPlanException($"SQLite: {change.Table} is renamed in this migration and changed otherwise too; put the rename in its own expand/contract migration.");
            }

            if (change.Table.Contains('.', StringComparison.Ordinal) && !change.Table.StartsWith("main.", StringComparison.OrdinalIgnoreCase))
            {
                throw new EcPlanException($"SQLite: expand/contract works on tables of the main database only, not {change.Table}.");
            }
        }

        foreach (var change in changes)
        {
            switch (change)
            {
                case EcRenameColumn rename:
                    await RenameColumnAsync(rename, ct).ConfigureAwait(false);
                    break;
                case EcRenameTable rename:
                    await RenameTableAsync(rename, ct).ConfigureAwait(false);
                    break;
                case EcAddRequiredColumn add:
                    await AddRequiredColumnAsync(add, ct).ConfigureAwait(false);
                    break;
                case EcDropColumn drop:
                    await DropColumnAsync(drop, ct).ConfigureAwait(false);
                    break;
                case EcDropTable drop:
                    await DropTableAsync(drop, ct).ConfigureAwait(false);
                    break;
                case EcChangeColumnType type:
                    throw new EcPlanException($"SQLite has no ALTER COLUMN … TYPE ({type.Table}.{type.Column} to {type.NewType}): a column's declared type changes only by rebuilding the table, so there is nothing to expand and contract. SQLite stores any value in any column (type affinity), so the change is rarely needed; otherwise rebuild the table in a plain migration.");
                case EcSetNotNull notNull:
                    throw new EcPlanException($"SQLite has no ALTER COLUMN … SET NOT NULL ({notNull.Table}.{notNull.Column}): NOT NULL is added only by rebuilding the table, so there is nothing to expand and contract; rebuild it in a plain migration.");
                case EcStatement statement:
                    await StatementAsync(statement, ct).ConfigureAwait(false);
                    break;
                default:
                    throw new EcPlanException($"SQLite: {change.GetType().Name} is not an expand/contract change this engine knows.");
            }
        }
    }

    public EcPlan Build()
    {
        var expand = new List<EcStep>(_expand);
        var contract = new List<EcStep>();
        var abort = new List<EcStep>();
        foreach (var (table, pairs) in _sync)
        {
            var shape = _shapes[table];
            expand.Add(new EcStep($"sync triggers on {shape.Name}", EcStepKind.Transaction, SyncTriggers(shape, pairs)));
            var drop = DropSyncTriggers(shape.Name);
            contract.Add(new EcStep($"drop sync triggers on {shape.Name}", EcStepKind.Transaction, drop));
            abort.Add(new EcStep($"drop sync triggers on {shape.Name}", EcStepKind.Transaction, drop));
        }

        contract.AddRange(_contract);
        for (var i = _abort.Count - 1; i >= 0; i--)
        {
            abort.Add(_abort[i]);
        }

        return new EcPlan
        {
            Expand = expand,
            Backfills = _backfills,
            Contract = contract,
            Abort = abort,
            Tables = [.. _tables.Distinct(StringComparer.OrdinalIgnoreCase)],
            OldNames = _oldNames,
        };
    }

    private string Prefix => "_sw_" + id + "_";

    private async Task<SqliteEcTable> TableAsync(string key, CancellationToken ct)
    {
        var name = key.StartsWith("main.", StringComparison.OrdinalIgnoreCase) ? key[5..] : key;
        if (_shapes.TryGetValue(name, out var known))
        {
            return known;
        }

        var table = await SqliteExpandContractCatalog.TableAsync(connection, name, ct).ConfigureAwait(false)
            ?? throw new EcPlanException($"SQLite: table {name} does not exist.");
        _shapes[table.Name] = table;
        _tables.Add(table.Name);
        return table;
    }

    private static SqliteEcColumn ColumnOf(SqliteEcTable table, string column) =>
        table.Column(column) ?? throw new EcPlanException($"SQLite: column {table.Name}.{column} does not exist.");

    private static void Step(List<EcStep> steps, string what, params string[] statements) => steps.Add(new EcStep(what, EcStepKind.Transaction, statements));

    /// <summary>SQLite's ADD COLUMN takes no CURRENT_TIME/DATE/TIMESTAMP and no parenthesised expression as DEFAULT.</summary>
    private static bool ConstantDefault(string? text) =>
        text is null || !(text.TrimStart().StartsWith('(') || text.Contains("CURRENT_", StringComparison.OrdinalIgnoreCase));

    private static bool HasWord(string definition, string word) =>
        Tokenize(definition).Any(t => t.Kind == TokenKind.Word && string.Equals(t.Text, word, StringComparison.OrdinalIgnoreCase));

    /// <summary>Why SQLite would refuse to DROP COLUMN <paramref name="column"/> of <paramref name="table"/> (null: it would not),
    /// its indexes aside (those are named by the caller).</summary>
    private string? CannotDrop(SqliteEcTable table, SqliteEcColumn column, string what)
    {
        var name = $"{table.Name}.{column.Name}";
        if (column.PrimaryKey > 0)
        {
            return $"SQLite: {name} is in the primary key; {what} it needs a table rebuild, not expand/contract.";
        }

        if (column.Hidden is 2 or 3)
        {
            return $"SQLite: {name} is a generated column; {what} it is not supported.";
        }

        if (HasWord(column.Definition, "UNIQUE") || table.Indexes.Any(i => i.Origin == "u" && i.Columns.Any(c => string.Equals(c, column.Name, StringComparison.OrdinalIgnoreCase))))
        {
            return $"SQLite: {name} is in a UNIQUE constraint of the table, which SQLite's DROP COLUMN refuses; {what} it needs a table rebuild.";
        }

        if (table.ForeignKeyColumns.Contains(column.Name, StringComparer.OrdinalIgnoreCase) || HasWord(column.Definition, "REFERENCES"))
        {
            return $"SQLite: {name} is in a foreign key; {what} it is not supported (SQLite's DROP COLUMN refuses it).";
        }

        if (table.ReferencedBy.FirstOrDefault(r => r.Columns.Contains(column.Name, StringComparer.OrdinalIgnoreCase)) is { Table: { } from })
        {
            return $"SQLite: {name} is referenced by a foreign key of {from}; {what} it is not supported.";
        }

        if (HasWord(column.Definition, "CHECK") || table.ChecksText.Any(c => Mentions(c, column.Name)))
        {
            return $"SQLite: {name} is used by a CHECK constraint, which SQLite's DROP COLUMN refuses; {what} it needs a table rebuild.";
        }

        if (table.Dependents.FirstOrDefault(d => !d.Name.StartsWith("_sw_", StringComparison.OrdinalIgnoreCase) && Mentions(d.Sql, column.Name)) is { Name: { } dependent } found)
        {
            return $"SQLite: {name} is used by the {found.Type} {dependent}; {what} it is not supported (drop or change the {found.Type} first).";
        }

        if (table.Indexes.FirstOrDefault(i => i.Partial && i.Sql is not null && Mentions(i.Sql[(i.Sql.IndexOf(" WHERE ", StringComparison.OrdinalIgnoreCase) + 1)..], column.Name) && !i.Columns.Contains(column.Name, StringComparer.OrdinalIgnoreCase)) is { } partial)
        {
            return $"SQLite: {name} is used by the WHERE of index {partial.Name}; {what} it is not supported.";
        }

        return null;
    }
}
