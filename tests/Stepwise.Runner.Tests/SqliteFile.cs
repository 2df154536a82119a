using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Stepwise.Runner.Tests;

/// <summary>A SQLite database file the tests read and seed directly, one unpooled connection per call so the
/// file is never held open while `stepwise` works on it.</summary>
internal sealed class SqliteFile(string path)
{
    public string Path { get; } = path;

    public string Url => "sqlite:" + Path;

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    public object? Scalar(string sql)
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    public long Count(string sql) => Convert.ToInt64(Scalar(sql), CultureInfo.InvariantCulture);

    public bool TableExists(string name) => Count($"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{name}'") == 1;

    public void Execute(string sql)
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>The first column of every row, as text.</summary>
    public IReadOnlyList<string> Strings(string sql)
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var list = new List<string>();
        while (reader.Read())
        {
            list.Add(reader.IsDBNull(0) ? string.Empty : Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }

        return list;
    }
}
