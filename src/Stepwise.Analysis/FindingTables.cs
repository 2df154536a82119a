using Stepwise.Analysis.Schema;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis;

/// <summary>The table a statement acts on (its first, when it names several), as a schema key; null when the
/// statement names none the parser models. An index is followed to its table through the replayed schema.</summary>
internal static class FindingTables
{
    public static string? Of(Statement? statement, SchemaModel schema) => statement switch
    {
        CreateTableStatement s => s.Table.Key,
        AlterTableStatement s => s.Table.Key,
        CreateIndexStatement s => s.Table.Key,
        DropIndexStatement s => s.Table?.Key ?? (s.Indexes.Count > 0 ? schema.Indexes.GetValueOrDefault(s.Indexes[0].Key)?.TableKey : null),
        ReindexStatement { Name: { } name } s when string.Equals(s.Target, "INDEX", StringComparison.OrdinalIgnoreCase) =>
            schema.Indexes.GetValueOrDefault(name.Key)?.TableKey,
        ReindexStatement { Name: { } name } s when string.Equals(s.Target, "TABLE", StringComparison.OrdinalIgnoreCase) => name.Key,
        DropTableStatement { Tables.Count: > 0 } s => s.Tables[0].Key,
        RenameTableStatement { Renames.Count: > 0 } s => s.Renames[0].From.Key,
        UpdateStatement s => s.Table.Key,
        DeleteStatement s => s.Table.Key,
        InsertStatement s => s.Table.Key,
        TruncateStatement { Tables.Count: > 0 } s => s.Tables[0].Key,
        CreateTriggerStatement s => s.Table?.Key,
        RefreshMaterializedViewStatement s => s.Name.Key,
        ClusterStatement s => s.Table?.Key,
        VacuumStatement { Tables.Count: > 0 } s => s.Tables[0].Key,
        LockTableStatement { Tables.Count: > 0 } s => s.Tables[0].Key,
        _ => null,
    };
}
