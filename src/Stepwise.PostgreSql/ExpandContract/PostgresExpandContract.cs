using Stepwise.Engines;
using static Stepwise.PostgreSql.ExpandContract.EcSql;

namespace Stepwise.PostgreSql.ExpandContract;

/// <summary>
/// PostgreSQL's expand/contract plans (docs: the shared design, issue 13). Renamed and retyped columns live side by
/// side with the old ones, kept equal by one BEFORE INSERT OR UPDATE row trigger per (migration, table); indexes on
/// them are copied CONCURRENTLY under <c>_sw_</c> names; NOT NULL is carried by a NOT VALID CHECK validated at
/// contract; a renamed table leaves an updatable view under its old name. Contract validates, then swaps in one
/// transaction; abort drops whatever part of expand ran.
/// </summary>
internal sealed class PostgresExpandContract(PostgresSession session) : IExpandContractSql
{
    public Task<EcPlan> PlanAsync(string id, IReadOnlyList<EcChange> changes, CancellationToken cancellationToken) =>
        session.Run(c => PlanAsync(new EcCatalog(c), id, changes, cancellationToken));

    internal static async Task<EcPlan> PlanAsync(EcCatalog catalog, string id, IReadOnlyList<EcChange> changes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var plan = new EcPlanBuilder(Id(id));
        CheckCombinations(changes);
        foreach (var change in changes)
        {
            switch (change)
            {
                case EcRenameColumn r:
                    await ColumnCopyAsync(catalog, plan, r.Table, r.Column, r.NewName, newType: null, usingExpression: null, ct).ConfigureAwait(false);
                    break;
                case EcChangeColumnType t:
                    if (t.NewName is not null && t.NewName != t.Column)
                    {
                        throw new EcPlanException($"{t.Table}.{t.Column}: PostgreSQL changes a type and a name in two statements; write ALTER COLUMN … TYPE and RENAME COLUMN in two migrations");
                    }

                    await ColumnCopyAsync(catalog, plan, t.Table, t.Column, Name(plan.Id, t.Column), t.NewType, t.Using, ct).ConfigureAwait(false);
                    break;
                case EcRenameTable r:
                    await RenameTableAsync(catalog, plan, r, ct).ConfigureAwait(false);
                    break;
                case EcSetNotNull n:
                    await SetNotNullAsync(catalog, plan, n, ct).ConfigureAwait(false);
                    break;
                case EcAddRequiredColumn a:
                    await AddRequiredAsync(catalog, plan, a, ct).ConfigureAwait(false);
                    break;
                case EcDropColumn d:
                    await DropColumnAsync(catalog, plan, d, ct).ConfigureAwait(false);
                    break;
                case EcDropTable d:
                    await DropTableAsync(catalog, plan, d, ct).ConfigureAwait(false);
                    break;
                case EcStatement s:
                    await EcStatements.PlanAsync(catalog, plan, s, ct).ConfigureAwait(false);
                    break;
                default:
                    throw new EcPlanException($"PostgreSQL has no expand/contract plan for {change.GetType().Name}");
            }
        }

        return plan.Build();
    }

    // Two changes of one column, or a table renamed while other changes touch it, would need the plans of each
    // other's intermediate shapes: refused, with the fix.
    private static void CheckCombinations(IReadOnlyList<EcChange> changes)
    {
        var columns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            var column = change switch
            {
                EcRenameColumn r => r.Column,
                EcChangeColumnType t => t.Column,
                EcSetNotNull n => n.Column,
                EcAddRequiredColumn a => a.Column,
                EcDropColumn d => d.Column,
                _ => null,
            };
            if (column is not null && !columns.Add(change.Table + "." + column))
            {
                throw new EcPlanException($"{change.Table}.{column} is changed twice in one expand/contract migration; split the changes into two migrations");
            }
        }

        foreach (var rename in changes.OfType<EcRenameTable>())
        {
            if (changes.Any(c => !ReferenceEquals(c, rename) && (c.Table == rename.Table || c.Table == rename.NewName)))
            {
                throw new EcPlanException($"table {rename.Table} is renamed and changed in one expand/contract migration; put the rename in a migration of its own");
            }
        }
    }

    private static async Task<EcTable> TableAsync(EcCatalog catalog, string key, CancellationToken ct)
    {
        var table = await catalog.TableAsync(key, ct).ConfigureAwait(false) ?? throw new EcPlanException($"table {key} does not exist");
        return table.Kind is 'r' or 'p' ? table : throw new EcPlanException($"{key} is not a table");
    }

    private static EcColumn Column(EcTable table, string key, string column) =>
        table.Column(column) ?? throw new EcPlanException($"column {column} of table {key} does not exist");

    /// <summary>Refuses a column whose copy could not stand in for it until contract.</summary>
    private static async Task<(IReadOnlyList<EcIndex> Indexes, IReadOnlyList<EcConstraint> Checks)> GuardAsync(EcCatalog catalog, EcTable table, string key, EcColumn column, CancellationToken ct)
    {
        var what = $"column {key}.{column.Name}";
        if (column.Generated)
        {
            throw new EcPlanException($"{what} is a generated column: expand/contract cannot copy it");
        }

        if (column.Identity)
        {
            throw new EcPlanException($"{what} is an identity column: expand/contract cannot copy its identity");
        }

        foreach (var generated in table.Columns.Where(c => c.Generated && c.Default is not null && Mentions(c.Default, column.Name)))
        {
            throw new EcPlanException($"{what} is used by the generated column {generated.Name}");
        }

        var views = await catalog.ViewsAsync(table, column, ct).ConfigureAwait(false);
        if (views.Count > 0)
        {
            throw new EcPlanException($"{what} is used by the view {string.Join(", ", views)}: the view would keep reading the old column; change the view in the same release first");
        }

        var constraints = await catalog.ConstraintsAsync(table, column, ct).ConfigureAwait(false);
        foreach (var c in constraints)
        {
            var reason = c.Kind switch
            {
                'p' => $"is in the primary key {c.Name}",
                'f' => c.OwnTable ? $"is in the foreign key {c.Name}" : $"is referenced by the foreign key {c.Name} of {c.Table}",
                'x' => $"is in the exclusion constraint {c.Name}",
                'c' when c.Columns > 1 => $"is used by the CHECK constraint {c.Name} together with other columns",
                _ => null,
            };
            if (reason is not null)
            {
                throw new EcPlanException($"{what} {reason}: expand/contract cannot keep it on two columns; use a plain migration");
            }
        }

        return (await catalog.IndexesAsync(table, column, ct).ConfigureAwait(false), [.. constraints.Where(c => c.Kind == 'c')]);
    }

    /// <summary>Rename (newType null: same type, the copy is the new name) or type change (the copy is a shadow
    /// column that takes the name at contract).</summary>
    private static async Task ColumnCopyAsync(EcCatalog catalog, EcPlanBuilder plan, string key, string name, string copy, string? newType, string? usingExpression, CancellationToken ct)
    {
        var table = await TableAsync(catalog, key, ct).ConfigureAwait(false);
        var column = Column(table, key, name);
        if (table.Column(copy) is not null)
        {
            throw new EcPlanException($"column {copy} of table {key} already exists");
        }

        var (indexes, checks) = await GuardAsync(catalog, table, key, column, ct).ConfigureAwait(false);
        var sequences = await catalog.OwnedSequencesAsync(table, column, ct).ConfigureAwait(false);
        var t = table.Qualified;
        var isRename = newType is null;
        var nn = Name(plan.Id, (isRename ? copy : name) + "_nn");
        string MapToCopy(string n) => n == name ? Q(copy) : null!;

        plan.ExpandTx.Add($"ALTER TABLE {t} ADD COLUMN IF NOT EXISTS {Q(copy)} {newType ?? column.Type}");
        if (column.NotNull)
        {
            plan.ExpandTx.Add(When($"NOT {ConstraintExists(t, nn)}", $"ALTER TABLE {t} ADD CONSTRAINT {Q(nn)} CHECK ({Q(copy)} IS NOT NULL) NOT VALID"));
            plan.ContractValidate.Add(When(ConstraintExists(t, nn), $"ALTER TABLE {t} VALIDATE CONSTRAINT {Q(nn)}"));
        }

        // contract, in one transaction: the old column goes (its indexes and constraints with it), the copy takes its place
        var swap = new List<string>();
        swap.AddRange(sequences.Select(s => $"ALTER SEQUENCE {s} OWNED BY {t}.{Q(copy)}"));
        swap.Add($"ALTER TABLE {t} DROP COLUMN {Q(name)}");
        var final = isRename ? copy : name;
        if (!isRename)
        {
            swap.Add($"ALTER TABLE {t} RENAME COLUMN {Q(copy)} TO {Q(name)}");
        }

        if (column.Default is not null)
        {
            swap.Add($"ALTER TABLE {t} ALTER COLUMN {Q(final)} SET DEFAULT {column.Default}");
        }

        plan.ContractTx.Add(When($"{ColumnExists(t, name)} AND {ColumnExists(t, copy)}", [.. swap]));
        if (column.NotNull)
        {
            plan.ContractTx.Add(When(ConstraintExists(t, nn), $"ALTER TABLE {t} ALTER COLUMN {Q(final)} SET NOT NULL", $"ALTER TABLE {t} DROP CONSTRAINT {Q(nn)}"));
        }

        foreach (var check in checks)
        {
            var copyName = Name(plan.Id, check.Name);
            var definition = RewriteColumns(check.Definition.Replace(" NOT VALID", string.Empty, StringComparison.Ordinal), MapToCopy);
            plan.ExpandTx.Add(When($"NOT {ConstraintExists(t, copyName)}", $"ALTER TABLE {t} ADD CONSTRAINT {Q(copyName)} {definition} NOT VALID"));
            if (check.Validated)
            {
                plan.ContractValidate.Add(When(ConstraintExists(t, copyName), $"ALTER TABLE {t} VALIDATE CONSTRAINT {Q(copyName)}"));
            }

            plan.ContractTx.Add(When($"{ConstraintExists(t, copyName)} AND NOT {ConstraintExists(t, check.Name)}", $"ALTER TABLE {t} RENAME CONSTRAINT {Q(copyName)} TO {Q(check.Name)}"));
        }

        foreach (var index in indexes)
        {
            var copyName = Name(plan.Id, index.Name);
            var qualified = table.Qualify(copyName);
            plan.ExpandIndexes.Add(new EcStep($"build index {copyName} on {key}.{copy}", EcStepKind.Statements,
                [DropIfInvalid(qualified), CopyIndex(index.Definition, copyName, MapToCopy)]));
            plan.AbortIndexes.Add($"DROP INDEX CONCURRENTLY IF EXISTS {qualified}");
            plan.ContractTx.Add(index.ConstraintKind == 'u'
                ? When($"{RelationIs(qualified, "i")} AND NOT {ConstraintExists(t, index.Constraint!)}", $"ALTER TABLE {t} ADD CONSTRAINT {Q(index.Constraint!)} UNIQUE USING INDEX {Q(copyName)}")
                : When($"{RelationIs(qualified, "i")} AND {RelationMissing(table.Qualify(index.Name))}", $"ALTER INDEX {qualified} RENAME TO {Q(index.Name)}"));
        }

        string NewRef(string n) => table.Column(n) is not null ? "NEW." + Q(n) : null!;
        if (isRename)
        {
            plan.Trigger(table, new EcPair(name, copy, "NEW." + Q(name), "NEW." + Q(copy)));
            plan.Backfill(key, $"{Q(copy)} = {Q(name)}", $"{Q(copy)} IS DISTINCT FROM {Q(name)}");
            plan.OldNames.Add(new EcOldName(key, name));
        }
        else
        {
            var up = usingExpression is null ? $"CAST({Q(name)} AS {newType})" : $"({usingExpression})";
            plan.Trigger(table, new EcPair(name, copy, RewriteColumns(up, NewRef), null));
            plan.Backfill(key, $"{Q(copy)} = {up}", $"{Q(copy)} IS DISTINCT FROM {up}");
        }

        plan.AbortTx.Add($"ALTER TABLE {t} DROP COLUMN IF EXISTS {Q(copy)}");
        plan.Tables.Add(key);
    }

    private static async Task RenameTableAsync(EcCatalog catalog, EcPlanBuilder plan, EcRenameTable r, CancellationToken ct)
    {
        var table = await TableAsync(catalog, r.Table, ct).ConfigureAwait(false);
        var newName = r.NewName.Contains('.', StringComparison.Ordinal) ? r.NewName[(r.NewName.LastIndexOf('.') + 1)..] : r.NewName;
        var (from, to) = (table.Qualified, table.Qualify(newName));
        if (await catalog.TableAsync(to, ct).ConfigureAwait(false) is not null)
        {
            throw new EcPlanException($"{r.NewName} already exists");
        }

        plan.ExpandTx.Add(When($"{RelationIs(from, "rp")} AND {RelationMissing(to)}", $"ALTER TABLE {from} RENAME TO {Q(newName)}"));
        plan.ExpandTx.Add(When($"{RelationMissing(from)} AND {RelationIs(to, "rp")}", $"CREATE VIEW {from} AS SELECT * FROM {to}"));
        plan.ContractTx.Add(When(RelationIs(from, "v"), $"DROP VIEW {from}"));
        plan.AbortTx.Add(When(RelationIs(from, "v"), $"DROP VIEW {from}"));
        plan.AbortTx.Add(When($"{RelationMissing(from)} AND {RelationIs(to, "rp")}", $"ALTER TABLE {to} RENAME TO {Q(table.Name)}"));
        plan.Tables.Add(r.Table);
        plan.Tables.Add(r.NewName);
        plan.OldNames.Add(new EcOldName(r.Table, null));
    }

    private static async Task SetNotNullAsync(EcCatalog catalog, EcPlanBuilder plan, EcSetNotNull n, CancellationToken ct)
    {
        var table = await TableAsync(catalog, n.Table, ct).ConfigureAwait(false);
        var column = Column(table, n.Table, n.Column);
        plan.Tables.Add(n.Table);
        if (column.NotNull)
        {
            return;
        }

        NotNullCheck(plan, table, n.Column);
    }

    // expand: CHECK (c IS NOT NULL) NOT VALID; contract: VALIDATE, then SET NOT NULL (no scan) and drop the check
    private static void NotNullCheck(EcPlanBuilder plan, EcTable table, string column)
    {
        var t = table.Qualified;
        var nn = Name(plan.Id, column + "_nn");
        plan.ExpandTx.Add(When($"NOT {ConstraintExists(t, nn)}", $"ALTER TABLE {t} ADD CONSTRAINT {Q(nn)} CHECK ({Q(column)} IS NOT NULL) NOT VALID"));
        plan.ContractValidate.Add(When(ConstraintExists(t, nn), $"ALTER TABLE {t} VALIDATE CONSTRAINT {Q(nn)}"));
        plan.ContractTx.Add(When(ConstraintExists(t, nn), $"ALTER TABLE {t} ALTER COLUMN {Q(column)} SET NOT NULL", $"ALTER TABLE {t} DROP CONSTRAINT {Q(nn)}"));
        plan.AbortTx.Add($"ALTER TABLE {t} DROP CONSTRAINT IF EXISTS {Q(nn)}");
    }

    private static async Task AddRequiredAsync(EcCatalog catalog, EcPlanBuilder plan, EcAddRequiredColumn a, CancellationToken ct)
    {
        var table = await TableAsync(catalog, a.Table, ct).ConfigureAwait(false);
        if (table.Column(a.Column) is not null)
        {
            throw new EcPlanException($"column {a.Column} of table {a.Table} already exists");
        }

        var t = table.Qualified;
        plan.AbortTx.Add($"ALTER TABLE {t} DROP COLUMN IF EXISTS {Q(a.Column)}");
        plan.ExpandTx.Add($"ALTER TABLE {t} ADD COLUMN IF NOT EXISTS {Q(a.Column)} {a.Type}" + (a.Default is null ? string.Empty : $" DEFAULT {a.Default}"));
        NotNullCheck(plan, table, a.Column);
        var fill = RewriteColumns($"({a.Fill})", n => table.Column(n) is not null ? "NEW." + Q(n) : null!);
        plan.Trigger(table, null, $"IF NEW.{Q(a.Column)} IS NULL THEN NEW.{Q(a.Column)} := {fill}; END IF;");
        plan.Backfill(a.Table, $"{Q(a.Column)} = ({a.Fill})", $"{Q(a.Column)} IS NULL");
        plan.Tables.Add(a.Table);
    }

    private static async Task DropColumnAsync(EcCatalog catalog, EcPlanBuilder plan, EcDropColumn d, CancellationToken ct)
    {
        var table = await TableAsync(catalog, d.Table, ct).ConfigureAwait(false);
        var column = Column(table, d.Table, d.Column);
        var views = await catalog.ViewsAsync(table, column, ct).ConfigureAwait(false);
        if (views.Count > 0)
        {
            throw new EcPlanException($"column {d.Table}.{d.Column} is used by the view {string.Join(", ", views)}: change the view first");
        }

        var t = table.Qualified;
        var c = Q(d.Column);
        if (column.NotNull && column.Default is null && !column.Generated)
        {
            // the new release's inserts leave the column out: it must accept NULL until contract drops it
            plan.ExpandTx.Add($"ALTER TABLE {t} ALTER COLUMN {c} DROP NOT NULL");
            plan.AbortTx.Add($"""
                DO $sw$ DECLARE n bigint; BEGIN
                  IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass({Literal(t)}) AND attname = {Literal(d.Column)} AND NOT attisdropped AND NOT attnotnull) THEN
                    SELECT count(*) INTO n FROM {t} WHERE {c} IS NULL;
                    IF n > 0 THEN
                      RAISE EXCEPTION 'abort cannot restore NOT NULL on %.%: % rows written since expand hold NULL there; set them, then abort again', {Literal(d.Table)}, {Literal(d.Column)}, n;
                    END IF;
                    ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL;
                  END IF;
                END $sw$
                """);
        }

        plan.ContractTx.Add($"ALTER TABLE {t} DROP COLUMN IF EXISTS {c}");
        plan.Tables.Add(d.Table);
        plan.OldNames.Add(new EcOldName(d.Table, d.Column));
    }

    private static async Task DropTableAsync(EcCatalog catalog, EcPlanBuilder plan, EcDropTable d, CancellationToken ct)
    {
        var table = await TableAsync(catalog, d.Table, ct).ConfigureAwait(false);
        var views = await catalog.ViewsAsync(table, null, ct).ConfigureAwait(false);
        if (views.Count > 0)
        {
            throw new EcPlanException($"table {d.Table} is used by the view {string.Join(", ", views)}: drop the view first");
        }

        var referencing = await catalog.ReferencingTablesAsync(table, ct).ConfigureAwait(false);
        if (referencing.Count > 0)
        {
            throw new EcPlanException($"table {d.Table} is referenced by foreign keys of {string.Join(", ", referencing)}: drop those first");
        }

        plan.ContractTx.Add($"DROP TABLE IF EXISTS {table.Qualified}");
        plan.Tables.Add(d.Table);
        plan.OldNames.Add(new EcOldName(d.Table, null));
    }
}
