using MySqlConnector;
using Stepwise.Engines;
using static Stepwise.MySql.MySqlExpandContractText;

namespace Stepwise.MySql;

/// <summary>MySQL's and MariaDB's expand/contract plans (docs: ec-design.md; the MySQL specifics are here).
/// <list type="bullet">
/// <item>Coexistence: a new column under its final name (rename) or a shadow <c>_sw_&lt;id&gt;_&lt;col&gt;</c> (type change),
/// added with ALGORITHM=INSTANT; one BEFORE INSERT and one BEFORE UPDATE trigger per (migration, table) assign NEW.*
/// (never UPDATE, so no recursion); MariaDB and MySQL ≥ 5.7.2 allow several triggers per event, so the user's own
/// triggers stay.</item>
/// <item>Found on MariaDB 10.11 in strict mode: a BEFORE INSERT trigger sees NULL for a NOT NULL column without a
/// DEFAULT that the INSERT leaves out, and may fill it; NOT NULL is checked after BEFORE triggers. So the new column of
/// a rename or type change is added NOT NULL right away (existing rows get the implicit default until the backfill),
/// and contract needs no NULL → NOT NULL rebuild; a dropped NOT NULL column is filled by the trigger for the new
/// release's inserts instead of being made nullable (and made NOT NULL again by abort). The new column of a rename is
/// added without its DEFAULT (set at contract): a NULL in the trigger then means "the INSERT did not name it".</item>
/// <item>Contract cut-over: LOCK TABLES t WRITE; DROP TRIGGER …; one ALTER (drop the old column and its indexes,
/// rename the shadow and the copied indexes, set the default) with ALGORITHM=NOCOPY (MariaDB; INPLACE on MySQL);
/// UNLOCK TABLES. Writers wait on the table lock for the instant ALTER, so no write lands between the trigger drop
/// and the swap. Unique indexes are copied at contract before the cut-over (online; during expand the old column's
/// unique index already enforces uniqueness of the synced values, and existing rows' implicit defaults would collide);
/// a renamed column gets a plain copy at expand for the new release's lookups.</item>
/// <item>Known leniency: during `expanded`, an INSERT that names the new column of a rename with an explicit NULL gets the
/// old column's value (the trigger cannot tell an explicit NULL from an omitted column).</item>
/// <item>A dropped column in a multi-column index: MariaDB shrinks the index, which rebuilds the table (it refuses
/// ALGORITHM=NOCOPY), so contract builds the shrunken index online first and swaps it in.</item>
/// <item>Idempotence: DROP … IF EXISTS, CREATE OR REPLACE VIEW, CREATE TRIGGER IF NOT EXISTS (MariaDB; DROP + CREATE on
/// MySQL), and every other ALTER guarded by information_schema through a prepared statement.</item>
/// <item>Rename table: RENAME TABLE then CREATE VIEW under the old name. MariaDB refuses CREATE VIEW and RENAME TABLE
/// under LOCK TABLES, so for the milliseconds between the two statements the old name does not exist (error 1146).</item>
/// </list></summary>
internal sealed partial class MySqlExpandContract(MySqlSession session) : IExpandContractSql
{
    public Task<EcPlan> PlanAsync(string id, IReadOnlyList<EcChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return session.Run(async c =>
        {
            var planner = new Planner(c, id, session.IsMariaDb, InstantAdd(session));
            foreach (var change in changes)
            {
                await planner.AddAsync(change, cancellationToken).ConfigureAwait(false);
            }

            return planner.Build();
        });
    }

    /// <summary>ADD COLUMN anywhere is instant from MariaDB 10.4 and MySQL 8.0.29.</summary>
    private static bool InstantAdd(MySqlSession session)
    {
        var text = session.Server.Version;
        var digits = new string([.. text.TakeWhile(ch => char.IsDigit(ch) || ch == '.')]);
        if (!Version.TryParse(digits.Count(ch => ch == '.') == 1 ? digits + ".0" : digits, out var v))
        {
            return false;
        }

        return session.IsMariaDb ? v >= new Version(10, 4) : v >= new Version(8, 0, 29);
    }

    /// <summary>What contract does on one table at its cut-over.</summary>
    private sealed class TableWork(string table)
    {
        public string Table { get; } = table;

        public List<string> Insert { get; } = [];

        public List<string> Update { get; } = [];

        /// <summary>Guarded ALTERs run under LOCK TABLES after the triggers are dropped: (guard, ALTER clauses).</summary>
        public List<(string Guard, List<string> Clauses)> Swaps { get; } = [];

        public bool HasTriggers => Insert.Count > 0 || Update.Count > 0;

        /// <summary>Guarded ADD COLUMNs of the NOT NULL twins: they run with the sync triggers under one LOCK TABLES
        /// (a twin without its trigger would refuse every insert that does not name it).</summary>
        public List<string> Adds { get; } = [];

        /// <summary>Twins abort drops together with the sync triggers, under one LOCK TABLES.</summary>
        public List<string> TwinDrops { get; } = [];

        /// <summary>Where in expand the locked add-and-trigger step goes (before any step that uses a twin).</summary>
        public int? AddStep { get; set; }
    }

    private sealed partial class Planner(MySqlConnection connection, string id, bool mariaDb, bool instantAdd)
    {
        private readonly List<EcStep> _expand = [];
        private readonly List<EcBackfill> _backfills = [];
        private readonly List<EcStep> _contractBefore = [];
        private readonly List<EcStep> _contractAfter = [];
        private readonly List<EcStep> _undo = [];

        /// <summary>Abort's drops of the indexes copied onto twins: online, before the locked step drops the twins.</summary>
        private readonly List<EcStep> _undoIndexes = [];
        private readonly Dictionary<string, TableWork> _work = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> _tables = [];
        private readonly List<EcOldName> _oldNames = [];

        // rename table within the file: a later change names the new table, the catalog still has the old one
        private readonly Dictionary<string, string> _renamedFrom = new(StringComparer.OrdinalIgnoreCase);

        private string AddAlgorithm => instantAdd ? "ALGORITHM=INSTANT" : "ALGORITHM=INPLACE, LOCK=NONE";

        private string SwapAlgorithm => mariaDb ? "ALGORITHM=NOCOPY" : "ALGORITHM=INPLACE";

        public Task AddAsync(EcChange change, CancellationToken ct) => change switch
        {
            EcRenameColumn r => RenameColumnAsync(r, ct),
            EcChangeColumnType t => ChangeTypeAsync(t, ct),
            EcRenameTable t => RenameTableAsync(t, ct),
            EcSetNotNull n => SetNotNullAsync(n, ct),
            EcAddRequiredColumn a => AddRequiredAsync(a, ct),
            EcDropColumn d => DropColumnAsync(d, ct),
            EcDropTable d => DropTableAsync(d, ct),
            EcStatement s => StatementAsync(s, ct),
            _ => throw new EcPlanException($"MySQL expand/contract does not know the change {change.GetType().Name}."),
        };

        private void Touch(string table)
        {
            if (!_tables.Contains(table, StringComparer.OrdinalIgnoreCase))
            {
                _tables.Add(table);
            }
        }

        private TableWork Work(string table)
        {
            Touch(table);
            if (!_work.TryGetValue(table, out var work))
            {
                _work[table] = work = new TableWork(table);
            }

            return work;
        }

        private async Task<EcTable> TableAsync(string table, CancellationToken ct)
        {
            var source = _renamedFrom.TryGetValue(table, out var old) ? old : table;
            var found = await MySqlExpandContractCatalog.TableAsync(connection, source, ct).ConfigureAwait(false);
            if (found is null || !string.Equals(found.Type, "BASE TABLE", StringComparison.OrdinalIgnoreCase))
            {
                throw new EcPlanException(found is null ? $"Table {table} does not exist." : $"{table} is a {found.Type.ToLowerInvariant()}, not a table.");
            }

            return found;
        }

        private static EcColumn Column(EcTable table, string column) =>
            table.Column(column) ?? throw new EcPlanException($"Column {table.Name}.{column} does not exist.");

        /// <summary>Refuses a column that cannot have two names or two types at once.</summary>
        private async Task RefuseAsync(string table, EcTable t, EcColumn column, string what, CancellationToken ct)
        {
            string? why = null;
            if (column.Generated)
            {
                why = "it is a generated column";
            }
            else if (column.AutoIncrement)
            {
                why = "it is AUTO_INCREMENT (a table has only one)";
            }
            else if (t.Indexes.Any(i => i.Name == "PRIMARY" && i.Contains(column.Name)))
            {
                why = "it is in the primary key";
            }
            else if (await MySqlExpandContractCatalog.ForeignKeysAsync(connection, table, column.Name, ct).ConfigureAwait(false) is { Count: > 0 } fks)
            {
                why = "it is in the foreign key " + string.Join(", ", fks);
            }
            else if (await MySqlExpandContractCatalog.ViewsUsingAsync(connection, table, column.Name, ct).ConfigureAwait(false) is { Count: > 0 } views)
            {
                why = "the view " + string.Join(", ", views) + " uses it";
            }
            else if (await MySqlExpandContractCatalog.ChecksUsingAsync(connection, table, column.Name, ct).ConfigureAwait(false) is { Count: > 0 } checks)
            {
                why = "the CHECK constraint " + string.Join(", ", checks) + " uses it";
            }
            else if (t.Indexes.Any(i => i.Contains(column.Name) && !IsBtree(i)))
            {
                why = "it is in a FULLTEXT or SPATIAL index, which MySQL cannot build without blocking writes";
            }

            if (why is not null)
            {
                throw new EcPlanException($"Cannot {what} {table}.{column.Name} with expand/contract: {why}.");
            }
        }

        private static bool IsBtree(EcIndex index) => index.IndexType is "BTREE" or "HASH";

        private static string IndexColumns(EcIndex index, string from, string to) =>
            "(" + string.Join(", ", index.Columns.Select(c => Q(string.Equals(c.Column, from, StringComparison.OrdinalIgnoreCase) ? to : c.Column) + (c.SubPart is { } n ? $"({n})" : string.Empty))) + ")";

        /// <summary>Adds a column the sync triggers write: it is added in the same LOCK TABLES step as the triggers.</summary>
        private TableWork AddWithTriggers(string table, string column, string clauses)
        {
            var work = Work(table);
            work.Adds.AddRange(Guarded("NOT " + ColumnExists(table, column), $"ALTER TABLE {Table(table)} {clauses}"));
            if (work.AddStep is null)
            {
                work.AddStep = _expand.Count;
                _expand.Add(new EcStep(string.Empty, EcStepKind.LockedSession, [])); // filled in by Build
            }

            return work;
        }

        private EcStep Alter(string what, string table, string guard, string clauses) =>
            new(what, EcStepKind.Statements, [.. Guarded(guard, $"ALTER TABLE {Table(table)} {clauses}")]);

        /// <summary>Expand adds <paramref name="to"/> (the final name, or a shadow); indexes on <paramref name="from"/> are
        /// copied onto it (non-unique at expand; a unique one at contract before the cut-over, with a plain copy at expand
        /// for a visible column); contract's swap drops
        /// <paramref name="from"/> and its indexes, renames the copies (and, for a shadow, the column) and sets the default.
        /// Abort drops the copies and the column.</summary>
        private void AddTwin(string table, EcTable t, string from, string to, string definition, string? finalName, string? finalDefault)
        {
            var work = AddWithTriggers(table, to, $"ADD COLUMN {Q(to)} {definition}, {AddAlgorithm}");

            var drops = new List<string>();
            var renames = new List<string>();
            foreach (var index in t.Indexes.Where(i => i.Contains(from)))
            {
                // a unique copy is built at contract (existing rows hold the column's implicit default until the backfill);
                // when the new column is visible (a rename), a plain copy serves the new release's lookups meanwhile
                var copy = Name(id, index.Name);
                var unique = index.Unique ? Name(id, index.Name + "_u") : copy;
                if (!index.Unique || finalName is null)
                {
                    _expand.Add(Alter(
                        $"copy index {index.Name} of {table} onto {to}",
                        table,
                        $"NOT {IndexExists(table, copy)} AND {ColumnExists(table, to)} AND {ColumnExists(table, from)}",
                        $"ADD INDEX {Q(copy)} {IndexColumns(index, from, to)}, ALGORITHM=INPLACE, LOCK=NONE"));
                    _undoIndexes.Add(Alter($"drop index {copy} of {table}", table, IndexExists(table, copy), $"DROP INDEX {Q(copy)}"));
                }

                if (index.Unique)
                {
                    _contractBefore.Add(Alter(
                        $"build unique index {index.Name} of {table} on {to}",
                        table,
                        $"NOT {IndexExists(table, unique)} AND {ColumnExists(table, to)} AND {ColumnExists(table, from)}",
                        $"ADD UNIQUE INDEX {Q(unique)} {IndexColumns(index, from, to)}, ALGORITHM=INPLACE, LOCK=NONE"));
                    _undoIndexes.Add(Alter($"drop index {unique} of {table}", table, IndexExists(table, unique), $"DROP INDEX {Q(unique)}"));
                    if (finalName is null)
                    {
                        drops.Add($"DROP INDEX {Q(copy)}");
                    }
                }

                // dropping a column only shrinks a multi-column index: drop the original explicitly
                drops.Add($"DROP INDEX {Q(index.Name)}");
                renames.Add($"RENAME INDEX {Q(unique)} TO {Q(index.Name)}");
            }

            drops.Add($"DROP COLUMN {Q(from)}");
            var swap = drops.Concat(renames).ToList();
            if (finalName is not null)
            {
                swap.Add($"RENAME COLUMN {Q(to)} TO {Q(finalName)}");
            }

            if (finalDefault is not null)
            {
                swap.Add($"ALTER COLUMN {Q(finalName ?? to)} SET DEFAULT {DefaultExpression(finalDefault)}");
            }

            // the guard: the old column is still there (a rerun after the swap finds it gone)
            work.Swaps.Add((ColumnExists(table, from) + " AND " + ColumnExists(table, to), swap));
            // abort drops the twin in the same LOCK TABLES step as the triggers (see Build): a NOT NULL twin without its
            // trigger refuses every insert of the old release that does not name it
            work.TwinDrops.Add(to);
        }

        private async Task RenameColumnAsync(EcRenameColumn r, CancellationToken ct)
        {
            var t = await TableAsync(r.Table, ct).ConfigureAwait(false);
            var a = Column(t, r.Column);
            await RefuseAsync(r.Table, t, a, "rename", ct).ConfigureAwait(false);
            if (t.Column(r.NewName) is not null)
            {
                throw new EcPlanException($"Cannot rename {r.Table}.{r.Column} to {r.NewName}: that column exists.");
            }

            // no DEFAULT until contract: a NULL in the INSERT trigger means the INSERT did not name the column
            AddTwin(r.Table, t, a.Name, r.NewName, Definition(a, withDefault: false), null, a.Default);
            Sync(r.Table, a.Name, r.NewName, "NEW." + Q(a.Name), "NEW." + Q(r.NewName));
            _backfills.Add(new EcBackfill(r.Table, $"{Q(r.NewName)} = {Q(a.Name)}", $"NOT ({Q(r.NewName)} <=> {Q(a.Name)})"));
            _oldNames.Add(new EcOldName(r.Table, a.Name));
        }

        /// <summary>Two visible columns kept equal: INSERT: the new side wins when named, else it takes the old side's value;
        /// UPDATE: whichever side changed alone is copied to the other.</summary>
        private void Sync(string table, string oldColumn, string newColumn, string up, string down)
        {
            var work = Work(table);
            var (o, n) = ("NEW." + Q(oldColumn), "NEW." + Q(newColumn));
            work.Insert.Add($"IF {n} IS NULL THEN SET {n} = {up}; ELSE SET {o} = {down}; END IF;");
            work.Update.Add($"IF NOT ({o} <=> OLD.{Q(oldColumn)}) AND ({n} <=> OLD.{Q(newColumn)}) THEN SET {n} = {up}; " +
                $"ELSEIF NOT ({n} <=> OLD.{Q(newColumn)}) AND ({o} <=> OLD.{Q(oldColumn)}) THEN SET {o} = {down}; END IF;");
        }
    }
}
