using System.Data.Common;
using Stepwise.Engines;

namespace Stepwise.MySql;

/// <summary>The journal table on MySQL/MariaDB.</summary>
internal sealed class MySqlJournal(MySqlSession session) : JournalStoreBase
{
    protected override string NowSql => "UTC_TIMESTAMP(6)";

    protected override char ParameterMarker => '@';

    protected override string ColumnsQuery => $"SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{Table}'";

    protected override string TableOptions => " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

    protected override string UpsertClause => $"ON DUPLICATE KEY UPDATE {string.Join(", ", JournalSchema.Columns.Skip(1).Select(c => $"{c.Name} = VALUES({c.Name})"))}";

    protected override string SqlType(JournalColumn column, bool key) => column.Type switch
    {
        JournalColumnType.Integer => "INT",
        JournalColumnType.BigInt => "BIGINT",
        JournalColumnType.Timestamp => "DATETIME(6)",
        _ when key => "VARCHAR(191)", // utf8mb4 keys fit InnoDB's 767-byte index prefix
        _ => column.Nullable ? "MEDIUMTEXT" : "VARCHAR(500)",
    };

    protected override string DefaultSql(JournalColumn column) => column.Default switch
    {
        JournalDefault.Now => "CURRENT_TIMESTAMP(6)",
        JournalDefault.Zero => "0",
        JournalDefault.Empty => "''",
        _ => "NULL",
    };

    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => new(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));

    protected override Task<T> RunAsync<T>(Func<DbConnection, Task<T>> action) => session.Run<T>(c => action(c));
}
