using System.Text.RegularExpressions;
using Stepwise.Engines;
using Stepwise.Sql.Syntax;
using static Stepwise.MySql.MySqlExpandContractText;

namespace Stepwise.MySql;

internal sealed partial class MySqlExpandContract
{
    private sealed partial class Planner
    {
        /// <summary>MODIFY/CHANGE (or ALTER … TYPE from another dialect's file). Same name: a shadow of the new definition
        /// kept equal to up(c) by the triggers (one way: until contract both releases see the old type under the name).
        /// CHANGE with a new name: the new column is visible under it, both ways synced (OldValue or an assignment cast).</summary>
        private async Task ChangeTypeAsync(EcChangeColumnType change, CancellationToken ct)
        {
            var t = await TableAsync(change.Table, ct).ConfigureAwait(false);
            var col = Column(t, change.Column);
            await RefuseAsync(change.Table, t, col, "change the type of", ct).ConfigureAwait(false);
            var definition = change.Definition ?? $"{change.NewType}{(col.Nullable ? " NULL" : " NOT NULL")}{(col.Default is { } d ? " DEFAULT " + DefaultExpression(d) : string.Empty)}";
            if (Unsupported().Match(definition) is { Success: true } bad)
            {
                throw new EcPlanException($"Cannot change {change.Table}.{change.Column} with expand/contract: the new definition has {bad.Value.ToUpperInvariant()}; run that part in an ordinary migration.");
            }

            var columns = t.Columns.Select(c => c.Name).ToList();
            var up = change.Using is null ? "NEW." + Q(col.Name) : OnNewRow(change.Using, columns);
            var upBare = change.Using ?? Q(col.Name);
            if (change.NewName is { } newName && !string.Equals(newName, col.Name, StringComparison.OrdinalIgnoreCase))
            {
                if (t.Column(newName) is not null)
                {
                    throw new EcPlanException($"Cannot change {change.Table}.{change.Column} to {newName}: that column exists.");
                }

                var (withoutDefault, finalDefault) = SplitDefault(definition);
                AddTwin(change.Table, t, col.Name, newName, withoutDefault, null, finalDefault);
                var down = change.OldValue is null ? "NEW." + Q(newName) : OnNewRow(change.OldValue, [.. columns, newName]);
                Sync(change.Table, col.Name, newName, up, down);
                _backfills.Add(new EcBackfill(change.Table, $"{Q(newName)} = {upBare}", $"NOT ({Q(newName)} <=> {upBare})"));
                _oldNames.Add(new EcOldName(change.Table, col.Name));
                return;
            }

            var shadow = Name(id, col.Name);
            AddTwin(change.Table, t, col.Name, shadow, definition, col.Name, null);
            var work = Work(change.Table);
            work.Insert.Add($"SET NEW.{Q(shadow)} = {up};");
            work.Update.Add($"SET NEW.{Q(shadow)} = {up};");
            _backfills.Add(new EcBackfill(change.Table, $"{Q(shadow)} = {upBare}", $"NOT ({Q(shadow)} <=> {upBare})"));
        }

        private async Task RenameTableAsync(EcRenameTable change, CancellationToken ct)
        {
            await TableAsync(change.Table, ct).ConfigureAwait(false);
            if (await MySqlExpandContractCatalog.TableAsync(connection, change.NewName, ct).ConfigureAwait(false) is not null)
            {
                throw new EcPlanException($"Cannot rename {change.Table} to {change.NewName}: {change.NewName} exists.");
            }

            var (a, b) = (change.Table, change.NewName);
            _expand.Add(new EcStep(
                $"rename table {a} to {b} and create the view {a}",
                EcStepKind.Statements,
                [
                    .. Guarded($"{TableExists(a, "BASE TABLE")} AND NOT {TableExists(b)}", $"RENAME TABLE {Table(a)} TO {Table(b)}"),
                    $"CREATE OR REPLACE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW {Table(a)} AS SELECT * FROM {Table(b)}",
                ]));
            _contractAfter.Add(new EcStep($"drop the view {a}", EcStepKind.Statements, [.. Guarded(TableExists(a, "VIEW"), $"DROP VIEW {Table(a)}")]));
            _undo.Add(new EcStep(
                $"drop the view {a} and rename {b} back",
                EcStepKind.Statements,
                [
                    .. Guarded(TableExists(a, "VIEW"), $"DROP VIEW {Table(a)}"),
                    .. Guarded($"{TableExists(b, "BASE TABLE")} AND NOT {TableExists(a)}", $"RENAME TABLE {Table(b)} TO {Table(a)}"),
                ]));
            _renamedFrom[b] = a;
            Touch(a);
            Touch(b);
            _oldNames.Add(new EcOldName(a, null));
        }

        /// <summary>Expand: the triggers refuse NULL from both releases (as PostgreSQL's NOT VALID check does); contract:
        /// MODIFY … NOT NULL in place (it rebuilds the table online; it fails naming the column if NULLs are left).</summary>
        private async Task SetNotNullAsync(EcSetNotNull change, CancellationToken ct)
        {
            var t = await TableAsync(change.Table, ct).ConfigureAwait(false);
            var col = Column(t, change.Column);
            if (!col.Nullable)
            {
                return;
            }

            var work = Work(change.Table);
            var refuse = $"IF NEW.{Q(col.Name)} IS NULL THEN SIGNAL SQLSTATE '23000' SET MESSAGE_TEXT = {Literal($"Column '{col.Name}' cannot be null (a NOT NULL change is in progress)")}; END IF;";
            work.Insert.Add(refuse);
            work.Update.Add(refuse);
            var definition = change.Definition ?? Definition(col, notNull: true);
            _contractBefore.Add(Alter($"set {change.Table}.{col.Name} NOT NULL", change.Table, ColumnNullable(change.Table, col.Name), $"MODIFY COLUMN {Q(col.Name)} {definition}, ALGORITHM=INPLACE, LOCK=NONE"));
        }

        /// <summary>With a DEFAULT that is also the fill, MySQL adds the column instantly as written. Otherwise: nullable
        /// until contract, the triggers fill inserts that leave it NULL (the DEFAULT, else the fill), the backfill fills
        /// existing rows, contract makes it NOT NULL in place.</summary>
        private async Task AddRequiredAsync(EcAddRequiredColumn change, CancellationToken ct)
        {
            var t = await TableAsync(change.Table, ct).ConfigureAwait(false);
            if (t.Column(change.Column) is not null)
            {
                throw new EcPlanException($"Cannot add {change.Table}.{change.Column}: it exists.");
            }

            var c = Q(change.Column);
            var defaultClause = change.Default is null ? string.Empty : " DEFAULT " + change.Default;
            _undo.Add(Alter($"drop column {change.Table}.{change.Column}", change.Table, ColumnExists(change.Table, change.Column), $"DROP COLUMN {c}"));
            if (change.Default is not null && string.Equals(change.Fill.Trim(), change.Default.Trim(), StringComparison.Ordinal))
            {
                _expand.Add(Alter($"add column {change.Table}.{change.Column}", change.Table, "NOT " + ColumnExists(change.Table, change.Column), $"ADD COLUMN {c} {change.Type} NOT NULL{defaultClause}, {AddAlgorithm}"));
                Touch(change.Table);
                return;
            }

            var columns = t.Columns.Select(x => x.Name).ToList();
            AddWithTriggers(change.Table, change.Column, $"ADD COLUMN {c} {change.Type} NULL, {AddAlgorithm}").Insert.Add($"IF NEW.{c} IS NULL THEN SET NEW.{c} = {OnNewRow(change.Default ?? change.Fill, columns)}; END IF;");
            _backfills.Add(new EcBackfill(change.Table, $"{c} = {change.Fill}", $"{c} IS NULL"));
            _contractBefore.Add(Alter($"set {change.Table}.{change.Column} NOT NULL", change.Table, ColumnNullable(change.Table, change.Column), $"MODIFY COLUMN {c} {change.Type} NOT NULL{defaultClause}, ALGORITHM=INPLACE, LOCK=NONE"));
        }

        /// <summary>Expand: a NOT NULL column without a DEFAULT is filled by the INSERT trigger with MySQL's implicit
        /// default, so the new release's inserts work without touching the column; contract drops it.</summary>
        private async Task DropColumnAsync(EcDropColumn change, CancellationToken ct)
        {
            var t = await TableAsync(change.Table, ct).ConfigureAwait(false);
            var col = Column(t, change.Column);
            if (t.Indexes.Any(i => i.Name == "PRIMARY" && i.Contains(col.Name)))
            {
                throw new EcPlanException($"Cannot drop {change.Table}.{col.Name} with expand/contract: it is in the primary key.");
            }

            if (await MySqlExpandContractCatalog.ForeignKeysAsync(connection, change.Table, col.Name, ct).ConfigureAwait(false) is { Count: > 0 } fks)
            {
                throw new EcPlanException($"Cannot drop {change.Table}.{col.Name} with expand/contract: it is in the foreign key {string.Join(", ", fks)}; drop that first.");
            }

            var work = Work(change.Table);
            if (!col.Nullable && col.Default is null && !col.AutoIncrement && !col.Generated)
            {
                work.Insert.Add($"IF NEW.{Q(col.Name)} IS NULL THEN SET NEW.{Q(col.Name)} = {ImplicitDefault(col)}; END IF;");
            }

            // Dropping a column that is part of a multi-column index shrinks the index, which rebuilds the table (found:
            // MariaDB refuses ALGORITHM=NOCOPY for it): build the shrunken index online before the cut-over, then drop the
            // original and rename the copy in the cut-over's instant ALTER, as the plain DROP COLUMN would leave it.
            var swap = new List<string>();
            var renames = new List<string>();
            foreach (var index in t.Indexes.Where(i => i.Contains(col.Name)))
            {
                swap.Add($"DROP INDEX {Q(index.Name)}");
                var rest = index.Columns.Where(c => !string.Equals(c.Column, col.Name, StringComparison.OrdinalIgnoreCase)).ToList();
                if (rest.Count == 0)
                {
                    continue;
                }

                var copy = Name(id, index.Name);
                _contractBefore.Add(Alter(
                    $"build index {index.Name} of {change.Table} without {col.Name}",
                    change.Table,
                    $"NOT {IndexExists(change.Table, copy)} AND {ColumnExists(change.Table, col.Name)}",
                    $"ADD {(index.Unique ? "UNIQUE " : string.Empty)}INDEX {Q(copy)} ({string.Join(", ", rest.Select(c => Q(c.Column) + (c.SubPart is { } n ? $"({n})" : string.Empty)))}), ALGORITHM=INPLACE, LOCK=NONE"));
                _undo.Add(Alter($"drop index {copy} of {change.Table}", change.Table, IndexExists(change.Table, copy), $"DROP INDEX {Q(copy)}"));
                renames.Add($"RENAME INDEX {Q(copy)} TO {Q(index.Name)}");
            }

            swap.Add($"DROP COLUMN {Q(col.Name)}");
            work.Swaps.Add((ColumnExists(change.Table, col.Name), [.. swap, .. renames]));
            _oldNames.Add(new EcOldName(change.Table, col.Name));
        }

        private async Task DropTableAsync(EcDropTable change, CancellationToken ct)
        {
            await TableAsync(change.Table, ct).ConfigureAwait(false);
            Touch(change.Table);
            _contractAfter.Add(new EcStep($"drop table {change.Table}", EcStepKind.Statements, [$"DROP TABLE IF EXISTS {Table(change.Table)}"]));
            _oldNames.Add(new EcOldName(change.Table, null));
        }

        /// <summary>Other statements run in expand in an online form, or are refused.</summary>
        private Task StatementAsync(EcStatement change, CancellationToken ct)
        {
            _ = ct;
            var sql = change.Sql.Trim().TrimEnd(';').Trim();
            switch (change.Parsed)
            {
                case CreateIndexStatement ci:
                    {
                        if (ci.FullText || ci.Name is null)
                        {
                            throw new EcPlanException(ci.FullText
                                ? $"Cannot run `{sql}` during expand: a FULLTEXT or SPATIAL index cannot be built without blocking writes (LOCK=NONE)."
                                : $"Cannot run `{sql}` during expand: name the index (abort must be able to drop it).");
                        }

                        var table = ci.Table.ToString();
                        var on = OnTable().Match(sql);
                        var open = sql.IndexOf('(', on.Success ? on.Index : 0);
                        var keys = IndexOptions().Replace(sql[open..], string.Empty).Trim();
                        var name = ci.Name.Name;
                        _expand.Add(Alter($"create index {name} on {table} (online)", table, "NOT " + IndexExists(table, name), $"ADD {(ci.Unique ? "UNIQUE " : string.Empty)}INDEX {Q(name)} {keys}, ALGORITHM=INPLACE, LOCK=NONE"));
                        _undo.Add(Alter($"drop index {name} of {table}", table, IndexExists(table, name), $"DROP INDEX {Q(name)}"));
                        Touch(table);
                        return Task.CompletedTask;
                    }

                case CreateTableStatement create when !create.Temporary:
                    {
                        var table = create.Table.ToString();
                        _expand.Add(new EcStep($"create table {table}", EcStepKind.Statements, [.. Guarded("NOT " + TableExists(table), sql)]));
                        _undo.Add(new EcStep($"drop table {table}", EcStepKind.Statements, [$"DROP TABLE IF EXISTS {Table(table)}"]));
                        Touch(table);
                        return Task.CompletedTask;
                    }

                case AlterTableStatement alter:
                    AlterTable(alter, sql);
                    return Task.CompletedTask;

                default:
                    throw new EcPlanException($"Cannot run `{change.Parsed.Keywords}` during expand on MySQL: there is no online form of it that abort can undo; run it in an ordinary migration.");
            }
        }

        /// <summary>ALTER TABLE with only online additions (nullable or defaulted columns, indexes) runs as written plus
        /// ALGORITHM=INPLACE, LOCK=NONE (MySQL picks INSTANT where it can, and refuses rather than copy or lock).</summary>
        private void AlterTable(AlterTableStatement alter, string sql)
        {
            var table = alter.Table.ToString();
            if (alter.Algorithm is "COPY" || alter.Lock is "SHARED" or "EXCLUSIVE")
            {
                throw new EcPlanException($"Cannot run `{sql}` during expand: ALGORITHM={alter.Algorithm ?? "DEFAULT"}, LOCK={alter.Lock ?? "DEFAULT"} blocks writes.");
            }

            var guards = new List<string>();
            foreach (var action in alter.Actions)
            {
                switch (action)
                {
                    case AddColumnAction add when !add.Column.NotNull || add.Column.Default is not null:
                        guards.Add("NOT " + ColumnExists(table, add.Column.Name));
                        _undo.Add(Alter($"drop column {table}.{add.Column.Name}", table, ColumnExists(table, add.Column.Name), $"DROP COLUMN {Q(add.Column.Name)}"));
                        break;
                    case AddConstraintAction { Constraint: { Kind: ConstraintKind.Index or ConstraintKind.Unique, Name: { } name } }:
                        guards.Add("NOT " + IndexExists(table, name));
                        _undo.Add(Alter($"drop index {name} of {table}", table, IndexExists(table, name), $"DROP INDEX {Q(name)}"));
                        break;
                    case AddConstraintAction { Constraint.Kind: ConstraintKind.ForeignKey }:
                        throw new EcPlanException($"Cannot run `{sql}` during expand: MySQL adds a FOREIGN KEY in place only with foreign_key_checks=0 (unchecked rows); it copies the table otherwise.");
                    case AddConstraintAction { Constraint.Kind: ConstraintKind.Check }:
                        throw new EcPlanException($"Cannot run `{sql}` during expand: MySQL/MariaDB add a CHECK constraint by copying the table (no in-place check validation).");
                    default:
                        throw new EcPlanException($"Cannot run `{sql}` during expand: only nullable or defaulted ADD COLUMN and named ADD INDEX/UNIQUE run online and can be undone by abort; run the rest in an ordinary migration.");
                }
            }

            var online = alter.Algorithm is null && alter.Lock is null ? sql + ", ALGORITHM=INPLACE, LOCK=NONE" : sql;
            _expand.Add(new EcStep($"alter table {table} (online)", EcStepKind.Statements, [.. Guarded(string.Join(" AND ", guards), online)]));
            Touch(table);
        }

        public EcPlan Build()
        {
            var expand = new List<EcStep>(_expand);
            var contract = new List<EcStep>(_contractBefore);
            foreach (var work in _work.Values)
            {
                var drops = new List<string>();
                var creates = new List<string>();
                foreach (var (suffix, body) in new[] { ("insert", work.Insert), ("update", work.Update) })
                {
                    if (body.Count == 0)
                    {
                        continue;
                    }

                    var name = TriggerName(work.Table, suffix);
                    var create = $"CREATE TRIGGER {(mariaDb ? "IF NOT EXISTS " : string.Empty)}{name} BEFORE {suffix.ToUpperInvariant()} ON {Table(work.Table)} FOR EACH ROW BEGIN\n  {string.Join("\n  ", body)}\nEND";
                    creates.AddRange(mariaDb ? [create] : [$"DROP TRIGGER IF EXISTS {name}", create]);
                    drops.Add($"DROP TRIGGER IF EXISTS {name}");
                }

                if (work.AddStep is { } at)
                {
                    // the twins and their triggers appear together: no insert ever meets a NOT NULL twin without its trigger
                    expand[at] = new EcStep(
                        $"add columns and sync triggers of {work.Table} (LOCK TABLES)",
                        EcStepKind.LockedSession,
                        [$"LOCK TABLES {Table(work.Table)} WRITE", .. work.Adds, .. creates, "UNLOCK TABLES"]);
                }
                else if (creates.Count > 0)
                {
                    expand.Add(new EcStep($"create sync triggers of {work.Table}", EcStepKind.Statements, creates));
                }

                if (work.Swaps.Count > 0)
                {
                    // the swap before the trigger drop: DDL is not transactional, and a kill between the two must not
                    // leave the triggers gone with the swap still to come (writes meanwhile would not reach the twins,
                    // and the rerun's swap would silently lose them). Swapped first, the triggers left name a column
                    // that is gone, so a write in that window fails loudly until the rerun drops them.
                    contract.Add(new EcStep(
                        $"cut over {work.Table} (LOCK TABLES; swap columns; drop sync triggers)",
                        EcStepKind.LockedSession,
                        [
                            $"LOCK TABLES {Table(work.Table)} WRITE",
                            .. work.Swaps.SelectMany(s => Guarded(s.Guard, $"ALTER TABLE {Table(work.Table)} {string.Join(", ", s.Clauses)}, {SwapAlgorithm}")),
                            .. drops,
                            "UNLOCK TABLES",
                        ]));
                }
                else if (drops.Count > 0)
                {
                    contract.Add(new EcStep($"drop sync triggers of {work.Table}", EcStepKind.Statements, drops));
                }
            }

            contract.AddRange(_contractAfter);
            // abort: the index copies go first (online); then per table, under LOCK TABLES, the sync triggers and the NOT
            // NULL twins they fill go together, so no insert of the old release meets a twin without its trigger (a
            // separate trigger step left one for as long as the steps between took)
            var abort = new List<EcStep>(Enumerable.Reverse(_undoIndexes));
            var loose = new List<string>();
            foreach (var work in _work.Values)
            {
                var drops = TriggerDrops(work);
                var twinDrops = work.TwinDrops.SelectMany(c => Guarded(ColumnExists(work.Table, c), $"ALTER TABLE {Table(work.Table)} DROP COLUMN {Q(c)}")).ToList();
                if (work.TwinDrops.Count > 0 && _renamedFrom.ContainsKey(work.Table))
                {
                    // a table this migration renames may not exist under its new name after a prefix of expand, and LOCK
                    // TABLES cannot be guarded: one step of guarded statements (no other step runs in between)
                    abort.Add(new EcStep($"drop sync triggers and new columns of {work.Table}", EcStepKind.Statements, [.. drops, .. twinDrops]));
                }
                else if (work.TwinDrops.Count > 0)
                {
                    abort.Add(new EcStep(
                        $"drop sync triggers and new columns of {work.Table} (LOCK TABLES)",
                        EcStepKind.LockedSession,
                        [$"LOCK TABLES {Table(work.Table)} WRITE", .. drops, .. twinDrops, "UNLOCK TABLES"]));
                }
                else
                {
                    loose.AddRange(drops);
                }
            }

            if (loose.Count > 0)
            {
                abort.Add(new EcStep("drop sync triggers", EcStepKind.Statements, loose));
            }

            abort.AddRange(Enumerable.Reverse(_undo));
            return new EcPlan { Expand = expand, Backfills = _backfills, Contract = contract, Abort = abort, Tables = _tables, OldNames = _oldNames };
        }

        private List<string> TriggerDrops(TableWork work) =>
            [.. new[] { ("insert", work.Insert), ("update", work.Update) }.Where(x => x.Item2.Count > 0).Select(x => $"DROP TRIGGER IF EXISTS {TriggerName(work.Table, x.Item1)}")];

        private string TriggerName(string table, string suffix)
        {
            var (schema, name) = MySqlExpandContractCatalog.Split(table);
            var trigger = Q(Name(id, $"{name}_{suffix}"));
            return schema is null ? trigger : Q(schema) + "." + trigger;
        }

        [GeneratedRegex(@"(?i)\b(AUTO_INCREMENT|PRIMARY\s+KEY|UNIQUE|REFERENCES|GENERATED|\bAS\s*\()")]
        private static partial Regex Unsupported();

        [GeneratedRegex(@"(?i)\sON\s")]
        private static partial Regex OnTable();

        [GeneratedRegex(@"(?i)\b(ALGORITHM|LOCK)\s*=?\s*\w+")]
        private static partial Regex IndexOptions();
    }
}
