using System.Data.Common;
using Npgsql;
using Stepwise.Engines;

namespace Stepwise.PostgreSql;

/// <summary>The journal table on PostgreSQL.</summary>
internal sealed class PostgresJournal(PostgresSession session) : JournalStoreBase
{
    protected override string NowSql => "now()";

    protected override char ParameterMarker => '@';

    protected override string ColumnsQuery => $"SELECT attname FROM pg_attribute WHERE attrelid = to_regclass('{Table}') AND attnum > 0 AND NOT attisdropped";

    protected override string UpsertClause => $"ON CONFLICT (version) DO UPDATE SET {string.Join(", ", JournalSchema.Columns.Skip(1).Select(c => $"{c.Name} = excluded.{c.Name}"))}";

    protected override string SqlType(JournalColumn column, bool key) => column.Type switch
    {
        JournalColumnType.Integer => "integer",
        JournalColumnType.BigInt => "bigint",
        JournalColumnType.Timestamp => "timestamptz",
        _ => "text",
    };

    protected override string DefaultSql(JournalColumn column) => column.Default switch
    {
        JournalDefault.Now => "now()",
        JournalDefault.Zero => "0",
        JournalDefault.Empty => "''",
        _ => "NULL",
    };

    protected override string AddColumnSql(JournalColumn c) => $"ALTER TABLE {Table} ADD COLUMN IF NOT EXISTS {Definition(c, false)}";

    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => new(reader.GetDateTime(ordinal), TimeSpan.Zero);

    protected override Task<T> RunAsync<T>(Func<DbConnection, Task<T>> action) => session.Run<T>(c => action(c));

    /// <summary>The journal change of a transactional unit, as the last command before COMMIT in its pipelined batch.</summary>
    public NpgsqlBatchCommand BatchCommand(JournalChange journal)
    {
        // the same SQL and parameters as a command of its own, moved into the batch
        using var cmd = Command(session.Connection, journal, null);
        var batchCommand = new NpgsqlBatchCommand(cmd.CommandText);
        foreach (NpgsqlParameter p in cmd.Parameters)
        {
            batchCommand.Parameters.Add(p.Clone());
        }

        return batchCommand;
    }
}
