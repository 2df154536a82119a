using System.Runtime.CompilerServices;
using Stepwise.Analysis.Reporting;
using Stepwise.Analysis.Schema;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class ForeignKeyWithoutIndexRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "foreign-key-without-index",
        "A foreign key whose columns no index covers",
        Severity.Warning,
        RuleCategory.Locking,
        "Create an index on the referencing columns (CONCURRENTLY on PostgreSQL) so deletes and updates on the parent don't scan the child.",
        SqlDialect.PostgreSql,
        SqlDialect.Sqlite);

    // rule instances are shared: what one file recorded lives with that file's context
    private readonly ConditionalWeakTable<RuleContext, FileState> _files = new();

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        switch (statement)
        {
            case CreateTableStatement { Temporary: false } create:
                foreach (var constraint in create.Constraints)
                {
                    if (constraint is { Kind: ConstraintKind.ForeignKey, References: { } reference })
                    {
                        State(context).Added.Add(new AddedKey(reference, statement, constraint.Span, create.Table, context.InExplicitTransaction));
                    }
                }

                break;
            case AlterTableStatement alter:
                foreach (var action in alter.Actions)
                {
                    switch (action)
                    {
                        case AddConstraintAction { Constraint: { Kind: ConstraintKind.ForeignKey, References: { } reference } }:
                            State(context).Added.Add(new AddedKey(reference, statement, action.Span, alter.Table, context.InExplicitTransaction));
                            break;
                        case AddColumnAction { Column.References: { } reference }:
                            State(context).Added.Add(new AddedKey(reference, statement, action.Span, alter.Table, context.InExplicitTransaction));
                            break;
                        case DropConstraintAction drop:
                            RecordDrop(context, statement, drop.Name);
                            break;
                    }
                }

                break;
            case DropIndexStatement drop:
                foreach (var name in drop.Indexes)
                {
                    RecordDrop(context, statement, name.Key);
                }

                break;
        }
    }

    /// <summary>Judged on the schema as the whole file leaves it, so an index created later in the file counts.</summary>
    public override void CheckFile(RuleContext context)
    {
        if (!_files.TryGetValue(context, out var state))
        {
            return;
        }

        _files.Remove(context);
        var schema = context.Schema;
        var path = context.Source.Path;
        var origins = new Dictionary<ForeignKeyReference, AddedKey>(ReferenceEqualityComparer.Instance);
        foreach (var added in state.Added)
        {
            origins.TryAdd(added.Reference, added);
        }

        // only the tables this file added keys to (looking at every table made lint quadratic in history)
        var tables = state.Added.Select(a => a.Table.Key).Distinct(StringComparer.Ordinal).Select(schema.Tables.GetValueOrDefault).OfType<TableModel>().ToList();
        foreach (var table in tables)
        {
            foreach (var constraint in table.Constraints)
            {
                if (constraint is not { Kind: ConstraintKind.ForeignKey, References: { } reference } || constraint.Columns.Count == 0 ||
                    !string.Equals(constraint.CreatedIn, path, StringComparison.Ordinal) || !origins.TryGetValue(reference, out var origin) ||
                    IsCovered(schema, table.Key, constraint.Columns))
                {
                    continue;
                }

                context.Report(origin.Span, $"Foreign key {table.Key} ({string.Join(", ", constraint.Columns)}) → {reference.Table} has no index on its columns: every DELETE (or key UPDATE) on {reference.Table} scans {table.Key} for referencing rows while holding locks.",
                    MakeFix(origin, constraint.Columns, context));
            }
        }

        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var drop in state.Dropped)
        {
            if (!schema.Tables.TryGetValue(drop.TableKey, out var table) || IsCovered(schema, table.Key, drop.Columns) ||
                !table.Constraints.Any(c => c.Kind == ConstraintKind.ForeignKey && SameSet(c.Columns, drop.Columns)) ||
                !reported.Add(drop.TableKey + "(" + string.Join(",", drop.Columns) + ")"))
            {
                continue;
            }

            context.Report(drop.Statement, $"Dropping {drop.Index} leaves foreign key {drop.TableKey} ({string.Join(", ", drop.Columns)}) without an index: deletes on the referenced table will scan {drop.TableKey}.");
        }
    }

    private FileState State(RuleContext context) => _files.GetOrCreateValue(context);

    /// <summary>Remembers the foreign keys the index being dropped covered, to see at the end whether anything else does.</summary>
    private void RecordDrop(RuleContext context, Statement statement, string indexKey)
    {
        if (!context.Schema.Indexes.TryGetValue(indexKey, out var index) || !context.Schema.Tables.TryGetValue(index.TableKey, out var table))
        {
            return;
        }

        foreach (var constraint in table.Constraints)
        {
            if (constraint.Kind == ConstraintKind.ForeignKey && constraint.Columns.Count > 0 && Covers(index, constraint.Columns) &&
                !string.Equals(constraint.CreatedIn, context.Source.Path, StringComparison.Ordinal))
            {
                State(context).Dropped.Add(new DroppedIndex(table.Key, constraint.Columns, index.Name, statement));
            }
        }
    }

    private static bool IsCovered(SchemaModel schema, string tableKey, IReadOnlyList<string> columns) =>
        schema.IndexesOn(tableKey).Any(index => Covers(index, columns));

    /// <summary>The key's columns, in any order, are the index's leading columns (what a lookup by the key can use).</summary>
    private static bool Covers(IndexModel index, IReadOnlyList<string> columns) =>
        !index.Partial && index.Columns.Count >= columns.Count && SameSet(index.Columns.Take(columns.Count).ToList(), columns);

    private static bool SameSet(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        a.Count == b.Count && a.ToHashSet(StringComparer.Ordinal).SetEquals(b);

    /// <summary>A CREATE INDEX right after the statement that adds the key: CONCURRENTLY on a live PostgreSQL table.</summary>
    private static Fix? MakeFix(AddedKey origin, IReadOnlyList<string> columns, RuleContext context)
    {
        var concurrently = context.Dialect == SqlDialect.PostgreSql && context.IsExistingTable(origin.Table);
        var name = origin.Table.Name + "_" + string.Join('_', columns) + "_idx";
        if ((concurrently && origin.InTransaction) || origin.Statement.Context is not null || !StatementTokens.IsPlainName(name) ||
            !columns.All(StatementTokens.IsPlainName) || context.Schema.Indexes.ContainsKey(name))
        {
            return null;
        }

        var create = $"CREATE INDEX {(concurrently ? "CONCURRENTLY " : string.Empty)}{name} ON {context.Source.ToString(origin.Table.Span)} ({string.Join(", ", columns)});";
        if (StatementTokens.AfterTerminator(origin.Statement, context.Script) is { } after)
        {
            return new Fix("Create an index on the foreign key's columns", [new TextEdit(new TextSpan(after, 0), "\n" + create)]);
        }

        // the last statement, without a terminator
        var tokens = context.Script.Tokens;
        for (var i = origin.Statement.EndToken; i < tokens.Length; i++)
        {
            if (!tokens[i].IsTrivia)
            {
                return null;
            }
        }

        return new Fix("Create an index on the foreign key's columns", [new TextEdit(new TextSpan(origin.Statement.Span.End, 0), ";\n" + create)]);
    }

    private sealed class FileState
    {
        public List<AddedKey> Added { get; } = [];

        public List<DroppedIndex> Dropped { get; } = [];
    }

    private sealed record AddedKey(ForeignKeyReference Reference, Statement Statement, TextSpan Span, ObjectName Table, bool InTransaction);

    private sealed record DroppedIndex(string TableKey, IReadOnlyList<string> Columns, string Index, Statement Statement);
}
