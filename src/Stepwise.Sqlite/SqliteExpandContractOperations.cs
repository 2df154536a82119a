using Stepwise.Engines;
using Stepwise.Sql.Syntax;
using static Stepwise.Sqlite.SqliteExpandContractText;

namespace Stepwise.Sqlite;

/// <summary>The steps of each kind of change.</summary>
internal sealed partial class SqliteExpandContractPlanner
{
    /// <summary>Rename a→b: expand adds b with a's definition (type, DEFAULT, COLLATE, NOT NULL), copies a's indexes
    /// onto b, sync triggers keep them equal, the backfill copies a into b. Contract drops a (its indexes first) and
    /// recreates the copied indexes under their original names (SQLite cannot rename an index).</summary>
    private async Task RenameColumnAsync(EcRenameColumn rename, CancellationToken ct)
    {
        var table = await TableAsync(rename.Table, ct).ConfigureAwait(false);
        var column = ColumnOf(table, rename.Column);
        var name = $"{table.Name}.{column.Name}";
        if (table.Column(rename.NewName) is not null)
        {
            throw new EcPlanException($"SQLite: {table.Name} already has a column {rename.NewName}.");
        }

        if (CannotDrop(table, column, "renaming") is { } why)
        {
            throw new EcPlanException(why);
        }

        if (column.NotNull && column.Default is null)
        {
            throw new EcPlanException(
                $"SQLite: {name} is NOT NULL without a DEFAULT. During expand the new release's inserts, which do not name {column.Name}, would fail on that NOT NULL before any trigger could fill it (SQLite triggers cannot change the row being inserted), and SQLite can neither drop NOT NULL nor add a NOT NULL column without a DEFAULT short of rebuilding the table. " +
                "SQLite's own RENAME COLUMN only rewrites the schema text (instant, no table rewrite): run it as a plain migration released together with the code that uses the new name.");
        }

        if (!ConstantDefault(column.Default))
        {
            throw new EcPlanException($"SQLite: {name} has the DEFAULT {column.Default}, which SQLite's ADD COLUMN refuses (not a constant), so the new column {rename.NewName} cannot be added with it; rename it in a plain migration.");
        }

        var t = Quote(table.Name);
        var a = Quote(column.Name);
        var b = Quote(rename.NewName);
        Step(_expand, $"add column {table.Name}.{rename.NewName}", Guard(ColumnAbsent(table.Name, rename.NewName), $"ALTER TABLE {t} ADD COLUMN {b} {column.Definition}"));
        Step(_abort, $"drop column {table.Name}.{rename.NewName}", Guard(ColumnExists(table.Name, rename.NewName), $"ALTER TABLE {t} DROP COLUMN {b}"));

        var contract = new List<string>();
        var recreate = new List<string>();
        foreach (var index in table.Indexes.Where(i => i.Origin == "c" && i.Sql is not null && (i.Columns.Contains(column.Name, StringComparer.OrdinalIgnoreCase) || Mentions(i.Sql[i.Sql.IndexOf('(', StringComparison.Ordinal)..], column.Name))))
        {
            var copy = Prefix + index.Name;
            Step(_expand, $"copy index {index.Name} onto {table.Name}.{rename.NewName}", Guard(NameFree(copy), RewriteIndex(index.Sql!, copy, column.Name, rename.NewName)));
            Step(_abort, $"drop index {copy}", $"DROP INDEX IF EXISTS {Quote(copy)}");
            contract.Add(Guard(ColumnExists(table.Name, column.Name), $"DROP INDEX IF EXISTS {Quote(index.Name)}"));
            contract.Add($"DROP INDEX IF EXISTS {Quote(copy)}");
            recreate.Add(Guard(NameFree(index.Name), RewriteIndex(index.Sql!, index.Name, column.Name, rename.NewName)));
        }

        contract.Add(Guard(ColumnExists(table.Name, column.Name), $"ALTER TABLE {t} DROP COLUMN {a}"));
        contract.AddRange(recreate);
        _contract.Add(new EcStep($"drop column {name}", EcStepKind.Transaction, contract));

        _backfills.Add(new EcBackfill(table.Name, $"{b} = {a}", $"{b} IS NOT {a}"));
        if (!_sync.TryGetValue(table.Name, out var pairs))
        {
            _sync[table.Name] = pairs = [];
        }

        pairs.Add(new SyncPair(column.Name, rename.NewName, column.Default));
        _oldNames.Add(new EcOldName(table.Name, column.Name));
    }

    /// <summary>Rename table t→n: expand renames it and creates a view t with INSTEAD OF triggers; contract drops the
    /// view; abort drops it and renames back.</summary>
    private async Task RenameTableAsync(EcRenameTable rename, CancellationToken ct)
    {
        var table = await TableAsync(rename.Table, ct).ConfigureAwait(false);
        var newName = rename.NewName.StartsWith("main.", StringComparison.OrdinalIgnoreCase) ? rename.NewName[5..] : rename.NewName;
        if (await SqliteExpandContractCatalog.ObjectTypeAsync(connection, newName, ct).ConfigureAwait(false) is { } type)
        {
            throw new EcPlanException($"SQLite: a {type} named {newName} already exists.");
        }

        var t = Quote(table.Name);
        var n = Quote(newName);
        var writable = table.Columns.Where(c => c.Hidden == 0).ToList();
        var values = writable.Select(c => c.Default is null ? $"NEW.{Quote(c.Name)}" : $"coalesce(NEW.{Quote(c.Name)}, {c.Default})");
        var pk = table.PrimaryKey;
        var key = pk.Count > 0
            ? string.Join(" AND ", pk.Select(c => $"{Quote(c.Name)} = OLD.{Quote(c.Name)}"))
            : $"rowid = (SELECT rowid FROM {n} WHERE {string.Join(" AND ", writable.Select(c => $"{Quote(c.Name)} IS OLD.{Quote(c.Name)}"))} LIMIT 1)";
        var trigger = (string e) => Quote(Prefix + table.Name + "_" + e);
        Step(_expand, $"rename table {table.Name} to {newName}, view {table.Name}",
            Guard($"SELECT ({ObjectExists("table", table.Name)}) AND ({NameFree(newName)})", $"ALTER TABLE {t} RENAME TO {n}"),
            $"CREATE VIEW IF NOT EXISTS {t} AS SELECT * FROM {n}",
            $"CREATE TRIGGER IF NOT EXISTS {trigger("insert")} INSTEAD OF INSERT ON {t} BEGIN INSERT INTO {n} ({string.Join(", ", writable.Select(c => Quote(c.Name)))}) VALUES ({string.Join(", ", values)}); END",
            $"CREATE TRIGGER IF NOT EXISTS {trigger("update")} INSTEAD OF UPDATE ON {t} BEGIN UPDATE {n} SET {string.Join(", ", writable.Select(c => $"{Quote(c.Name)} = NEW.{Quote(c.Name)}"))} WHERE {key}; END",
            $"CREATE TRIGGER IF NOT EXISTS {trigger("delete")} INSTEAD OF DELETE ON {t} BEGIN DELETE FROM {n} WHERE {key}; END");
        Step(_abort, $"drop view {table.Name}, rename {newName} back",
            Guard(ObjectExists("view", table.Name), $"DROP VIEW {t}"),
            Guard($"SELECT ({ObjectExists("table", newName)}) AND ({NameFree(table.Name)})", $"ALTER TABLE {n} RENAME TO {t}"));
        Step(_contract, $"drop view {table.Name}", Guard(ObjectExists("view", table.Name), $"DROP VIEW {t}"));
        _tables.Add(newName);
        _oldNames.Add(new EcOldName(table.Name, null));
    }

    /// <summary>SQLite adds a NOT NULL column with a constant DEFAULT without rewriting the table (existing rows read
    /// the default), and it cannot add one without a default at all: expand runs it as written.</summary>
    private async Task AddRequiredColumnAsync(EcAddRequiredColumn add, CancellationToken ct)
    {
        var table = await TableAsync(add.Table, ct).ConfigureAwait(false);
        if (table.Column(add.Column) is not null)
        {
            throw new EcPlanException($"SQLite: {table.Name} already has a column {add.Column}.");
        }

        if (add.Default is null || string.Equals(add.Default.Trim(), "NULL", StringComparison.OrdinalIgnoreCase))
        {
            throw new EcPlanException($"SQLite cannot add the NOT NULL column {table.Name}.{add.Column} without a non-NULL DEFAULT (the plain statement fails too: \"Cannot add a NOT NULL column with default value NULL\"), and cannot add NOT NULL later without rebuilding the table. Give the column a constant DEFAULT.");
        }

        if (!ConstantDefault(add.Default))
        {
            throw new EcPlanException($"SQLite: the DEFAULT {add.Default} of {table.Name}.{add.Column} is not a constant, which SQLite's ADD COLUMN refuses (the plain statement fails too).");
        }

        if (!string.Equals(add.Fill.Trim(), add.Default.Trim(), StringComparison.Ordinal))
        {
            throw new EcPlanException($"SQLite: existing rows of {table.Name} and inserts that do not name {add.Column} read its DEFAULT {add.Default} (SQLite cannot add the column NOT NULL without it, nor add NOT NULL later), so the fill value {add.Fill} cannot be honoured. Drop the fill line, or make the DEFAULT the value you want.");
        }

        var t = Quote(table.Name);
        var c = Quote(add.Column);
        Step(_expand, $"add column {table.Name}.{add.Column}", Guard(ColumnAbsent(table.Name, add.Column), $"ALTER TABLE {t} ADD COLUMN {c} {add.Type} NOT NULL DEFAULT {add.Default}"));
        Step(_abort, $"drop column {table.Name}.{add.Column}", Guard(ColumnExists(table.Name, add.Column), $"ALTER TABLE {t} DROP COLUMN {c}"));
    }

    /// <summary>Drop column: nothing in expand (the new release's inserts work: nullable or with a DEFAULT, else
    /// refused); contract drops it.</summary>
    private async Task DropColumnAsync(EcDropColumn drop, CancellationToken ct)
    {
        var table = await TableAsync(drop.Table, ct).ConfigureAwait(false);
        var column = ColumnOf(table, drop.Column);
        var name = $"{table.Name}.{column.Name}";
        if (CannotDrop(table, column, "dropping") is { } why)
        {
            throw new EcPlanException(why);
        }

        if (table.Indexes.FirstOrDefault(i => i.Origin == "c" && !_droppedIndexes.Contains(i.Name) && (i.Columns.Contains(column.Name, StringComparer.OrdinalIgnoreCase) || (i.Sql is not null && Mentions(i.Sql[i.Sql.IndexOf('(', StringComparison.Ordinal)..], column.Name)))) is { } index)
        {
            throw new EcPlanException($"SQLite: {name} is in the index {index.Name}, and SQLite's DROP COLUMN refuses an indexed column (the plain statement fails too). Drop the index first: a DROP INDEX earlier in this file counts.");
        }

        if (column.NotNull && column.Default is null)
        {
            throw new EcPlanException(
                $"SQLite: {name} is NOT NULL without a DEFAULT. During expand the new release's inserts, which do not name {column.Name}, would fail on that NOT NULL before any trigger could fill it, and SQLite cannot drop NOT NULL without rebuilding the table. " +
                "Release code that stops reading the column but still writes it, then drop it in a plain migration.");
        }

        Step(_contract, $"drop column {name}", Guard(ColumnExists(table.Name, column.Name), $"ALTER TABLE {Quote(table.Name)} DROP COLUMN {Quote(column.Name)}"));
        _oldNames.Add(new EcOldName(table.Name, column.Name));
    }

    private async Task DropTableAsync(EcDropTable drop, CancellationToken ct)
    {
        var table = await TableAsync(drop.Table, ct).ConfigureAwait(false);
        Step(_contract, $"drop table {table.Name}", $"DROP TABLE IF EXISTS {Quote(table.Name)}");
        _oldNames.Add(new EcOldName(table.Name, null));
    }

    /// <summary>Any other statement runs in expand as written (SQLite builds an index or adds a column the same way
    /// whatever the flags), when abort can undo it; others are refused.</summary>
    private async Task StatementAsync(EcStatement statement, CancellationToken ct)
    {
        var sql = statement.Sql.Trim().TrimEnd(';');
        switch (statement.Parsed)
        {
            case CreateIndexStatement { Name: { } index }:
                Step(_expand, $"create index {index.Name}", Guard(NameFree(index.Name), sql));
                Step(_abort, $"drop index {index.Name}", $"DROP INDEX IF EXISTS {Quote(index.Name)}");
                break;
            case CreateTableStatement { Temporary: false } create:
                Step(_expand, $"create table {create.Table.Name}", Guard(NameFree(create.Table.Name), sql));
                Step(_abort, $"drop table {create.Table.Name}", Guard(ObjectExists("table", create.Table.Name), $"DROP TABLE {Quote(create.Table.Name)}"));
                _tables.Add(create.Table.Name);
                break;
            case CreateViewStatement { Temporary: false, Materialized: false } view:
                Step(_expand, $"create view {view.Name.Name}", Guard(NameFree(view.Name.Name), sql));
                Step(_abort, $"drop view {view.Name.Name}", Guard(ObjectExists("view", view.Name.Name), $"DROP VIEW {Quote(view.Name.Name)}"));
                break;
            case CreateTriggerStatement when TriggerName(sql) is { } trigger:
                Step(_expand, $"create trigger {trigger}", Guard(NameFree(trigger), sql));
                Step(_abort, $"drop trigger {trigger}", $"DROP TRIGGER IF EXISTS {Quote(trigger)}");
                break;
            case DropIndexStatement { Indexes: [var index] }:
                var saved = (await SqliteExpandContractCatalog.ObjectTypeAsync(connection, index.Name, ct).ConfigureAwait(false)) == "index"
                    ? await IndexSqlAsync(index.Name, ct).ConfigureAwait(false) : null;
                Step(_expand, $"drop index {index.Name}", $"DROP INDEX IF EXISTS {Quote(index.Name)}");
                if (saved is not null)
                {
                    Step(_abort, $"recreate index {index.Name}", Guard(NameFree(index.Name), saved));
                }

                _droppedIndexes.Add(index.Name);
                break;
            case AlterTableStatement { Actions: [AddColumnAction add] } alter:
                var table = await TableAsync(alter.Table.Key, ct).ConfigureAwait(false);
                Step(_expand, $"add column {table.Name}.{add.Column.Name}", Guard(ColumnAbsent(table.Name, add.Column.Name), sql));
                Step(_abort, $"drop column {table.Name}.{add.Column.Name}", Guard(ColumnExists(table.Name, add.Column.Name), $"ALTER TABLE {Quote(table.Name)} DROP COLUMN {Quote(add.Column.Name)}"));
                break;
            case InsertStatement or UpdateStatement or DeleteStatement:
                throw new EcPlanException($"SQLite: {statement.Parsed.Keywords} changes data, which abort could not undo; put it in its own migration (a large UPDATE in a -- stepwise:backfill file).");
            case TransactionStatement:
                throw new EcPlanException($"SQLite: {statement.Parsed.Keywords} in an expand/contract file: each phase runs in transactions of its own; remove it.");
            default:
                throw new EcPlanException($"SQLite: {(statement.Parsed.Keywords.Length > 0 ? statement.Parsed.Keywords : "this statement")} has no known undo for abort; put it in a plain migration.");
        }
    }

    private async Task<string?> IndexSqlAsync(string index, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = {Literal(index)} COLLATE NOCASE";
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
    }

    /// <summary>CREATE [TEMP] TRIGGER [IF NOT EXISTS] [schema.]name …: the name.</summary>
    private static string? TriggerName(string sql)
    {
        var words = Tokenize(sql).Where(t => t.Kind != TokenKind.Space).ToList();
        var k = words.FindIndex(t => string.Equals(t.Text, "TRIGGER", StringComparison.OrdinalIgnoreCase)) + 1;
        if (k <= 0 || k >= words.Count)
        {
            return null;
        }

        if (string.Equals(words[k].Text, "IF", StringComparison.OrdinalIgnoreCase))
        {
            k += 3;
        }

        if (k + 2 < words.Count && words[k + 1].Text == ".")
        {
            k += 2;
        }

        return k < words.Count ? words[k].Identifier : null;
    }

    /// <summary>The AFTER INSERT and AFTER UPDATE OF triggers keeping each pair equal. INSERT: the side still at the
    /// shared DEFAULT takes the other side's value (a side that was written differs from the default, or both are
    /// equal). UPDATE: when exactly one side changed, the other takes its value. Each statement updates the row by
    /// rowid (WITHOUT ROWID: its primary key); the trigger does not fire itself (recursive_triggers off).</summary>
    private IReadOnlyList<string> SyncTriggers(SqliteEcTable table, List<SyncPair> pairs)
    {
        var t = Quote(table.Name);
        var key = table.WithoutRowid
            ? string.Join(" AND ", table.PrimaryKey.Select(c => $"{Quote(c.Name)} = NEW.{Quote(c.Name)}"))
            : "rowid = NEW.rowid";
        var insertWhen = new List<string>();
        var insertBody = new List<string>();
        var updateWhen = new List<string>();
        var updateBody = new List<string>();
        foreach (var pair in pairs)
        {
            var a = "NEW." + Quote(pair.Old);
            var b = "NEW." + Quote(pair.New);
            var oa = "OLD." + Quote(pair.Old);
            var ob = "OLD." + Quote(pair.New);
            var d = "(" + (pair.Default ?? "NULL") + ")";
            var toNew = $"{b} IS {d} AND {a} IS NOT {d}";
            var toOld = $"{a} IS {d} AND {b} IS NOT {d}";
            insertWhen.Add($"({toNew}) OR ({toOld})");
            insertBody.Add($"UPDATE {t} SET {Quote(pair.New)} = {a} WHERE {key} AND {toNew};");
            insertBody.Add($"UPDATE {t} SET {Quote(pair.Old)} = {b} WHERE {key} AND {toOld};");
            var newSide = $"{a} IS NOT {oa} AND {b} IS {ob} AND {a} IS NOT {b}";
            var oldSide = $"{b} IS NOT {ob} AND {a} IS {oa} AND {a} IS NOT {b}";
            updateWhen.Add($"({newSide}) OR ({oldSide})");
            updateBody.Add($"UPDATE {t} SET {Quote(pair.New)} = {a} WHERE {key} AND {newSide};");
            updateBody.Add($"UPDATE {t} SET {Quote(pair.Old)} = {b} WHERE {key} AND {oldSide};");
        }

        var columns = string.Join(", ", pairs.SelectMany(p => new[] { Quote(p.Old), Quote(p.New) }));
        var drop = DropSyncTriggers(table.Name);
        return
        [
            drop[0],
            drop[1],
            $"CREATE TRIGGER {Quote(Prefix + table.Name + "_insert")} AFTER INSERT ON {t} WHEN {string.Join(" OR ", insertWhen)} BEGIN {string.Join(" ", insertBody)} END",
            $"CREATE TRIGGER {Quote(Prefix + table.Name + "_update")} AFTER UPDATE OF {columns} ON {t} WHEN {string.Join(" OR ", updateWhen)} BEGIN {string.Join(" ", updateBody)} END",
        ];
    }

    private string[] DropSyncTriggers(string table) =>
        [$"DROP TRIGGER IF EXISTS {Quote(Prefix + table + "_insert")}", $"DROP TRIGGER IF EXISTS {Quote(Prefix + table + "_update")}"];
}
