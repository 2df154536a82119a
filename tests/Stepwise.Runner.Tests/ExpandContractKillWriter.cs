using System.Data.Common;
using System.Globalization;

namespace Stepwise.Runner.Tests;

/// <summary>
/// One application release writing single rows (update 75%, insert 20%, delete 5%) through its own shape (old:
/// `name`; new: `title`) of the table <see cref="EcKillScenario"/> seeds, until stopped, and the value each row must
/// hold afterwards. Engine-neutral: plain ADO.NET with named parameters (@p0 …), which every driver here binds.
/// </summary>
internal sealed class EcKillWriter : IAsyncDisposable
{
    private readonly IEcKillDb _db;
    private readonly bool _newShape;
    private readonly Random _random;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Dictionary<long, (string Name, long Qty, string Note)> _expected = [];
    private readonly int _rows;
    private long _nextId;

    public EcKillWriter(IEcKillDb db, int rows, bool newShape, int seed)
    {
        _db = db;
        _rows = rows;
        _nextId = rows + 1;
        _newShape = newShape;
        _random = new Random(seed);
        for (long id = 1; id <= rows; id++)
        {
            _expected[id] = ("n" + id, id % 1000, "x" + id);
        }

        _loop = Task.Run(LoopAsync);
    }

    public List<string> Errors { get; } = [];

    /// <summary>While set, a failed statement goes to <see cref="Tolerated"/> instead of <see cref="Errors"/> (the window
    /// between a kill and the end of the rerun on an engine whose DDL is not transactional).</summary>
    public bool Tolerating { get; set; }

    public List<string> Tolerated { get; } = [];

    public int Writes { get; private set; }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        var name = _newShape ? "title" : "name";
        await using var connection = await _db.OpenWriterAsync();
        while (!_stop.IsCancellationRequested)
        {
            var dice = _random.Next(100);
            var value = $"w{Writes}-{_random.Next(1_000_000)}";
            var qty = (long)_random.Next(1_000_000);
            try
            {
                if (dice < 20)
                {
                    var id = _nextId++;
                    await ExecAsync(connection, $"INSERT INTO items (id, {name}, qty, note) VALUES (@p0, @p1, @p2, @p3)", id, value, qty, "i" + value);
                    _expected[id] = (value, qty, "i" + value);
                }
                else if (dice < 25)
                {
                    var id = (long)_random.Next(1, _rows + 1);
                    await ExecAsync(connection, "DELETE FROM items WHERE id = @p0", id);
                    _expected.Remove(id);
                }
                else
                {
                    var id = (long)_random.Next(1, _rows + 1);
                    if (await ExecAsync(connection, $"UPDATE items SET {name} = @p1, qty = @p2 WHERE id = @p0", id, value, qty) == 1)
                    {
                        _expected[id] = (value, qty, _expected[id].Note);
                    }
                }

                Writes++;
            }
            catch (DbException e)
            {
                (Tolerating ? Tolerated : Errors).Add(e.Message);
            }

            await Task.Delay(5);
        }
    }

    private static async Task<int> ExecAsync(DbConnection connection, string sql, params object[] values)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            p.Value = values[i];
            command.Parameters.Add(p);
        }

        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every row holds its last written value, read through <paramref name="nameColumn"/>; no row is missing or extra.</summary>
    public async Task AssertRowsAsync(string nameColumn, string tag)
    {
        await using var connection = await _db.OpenWriterAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, {nameColumn}, qty, note FROM items";
        await using var reader = await command.ExecuteReaderAsync();
        var wrong = new List<string>();
        var seen = 0;
        while (await reader.ReadAsync())
        {
            seen++;
            var id = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
            var actual = (reader.IsDBNull(1) ? "(null)" : reader.GetString(1), Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture), reader.IsDBNull(3) ? "(null)" : reader.GetString(3));
            if (!_expected.TryGetValue(id, out var expected))
            {
                wrong.Add($"row {id} should not exist: {actual}");
            }
            else if (expected != actual)
            {
                wrong.Add($"row {id}: {actual}, expected {expected}");
            }
        }

        Assert.True(wrong.Count == 0 && seen == _expected.Count, $"{tag}: {wrong.Count} wrong rows, {seen} rows for {_expected.Count} expected:\n{string.Join("\n", wrong.Take(10))}");
    }
}
