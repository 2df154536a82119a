using System.Data.Common;
using System.Globalization;
using Stepwise.Engines;

namespace Stepwise.Sqlite;

/// <summary>The journal table on SQLite; times are ISO-8601 text.</summary>
internal sealed class SqliteJournal(SqliteSession session) : JournalStoreBase
{
    protected override string NowSql => "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

    protected override char ParameterMarker => '$';

    protected override string ColumnsQuery => $"SELECT name FROM pragma_table_info('{Table}')";

    protected override string UpsertClause => $"ON CONFLICT (version) DO UPDATE SET {string.Join(", ", JournalSchema.Columns.Skip(1).Select(c => $"{c.Name} = excluded.{c.Name}"))}";

    protected override string SqlType(JournalColumn column, bool key) => column.Type switch
    {
        JournalColumnType.Integer or JournalColumnType.BigInt => "INTEGER",
        _ => "TEXT",
    };

    protected override string DefaultSql(JournalColumn column) => column.Default switch
    {
        JournalDefault.Now => $"({NowSql})",
        JournalDefault.Zero => "0",
        JournalDefault.Empty => "''",
        _ => "NULL",
    };

    protected override string Definition(JournalColumn c, bool key) =>
        $"{c.Name} {SqlType(c, key)}{(key ? " PRIMARY KEY" : c.Nullable ? string.Empty : " NOT NULL")}{(c.Default == JournalDefault.None ? string.Empty : " DEFAULT " + DefaultSql(c))}";

    // SQLite adds columns with constant defaults only; a NOT NULL one needs one
    protected override string AddColumnSql(JournalColumn c) =>
        $"ALTER TABLE {Table} ADD COLUMN {c.Name} {SqlType(c, false)}{(c.Default is JournalDefault.None or JournalDefault.Now ? string.Empty : (c.Nullable ? string.Empty : " NOT NULL") + " DEFAULT " + DefaultSql(c))}";

    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    protected override Task<T> RunAsync<T>(Func<DbConnection, Task<T>> action) => session.Run<T>(c => action(c));
}
