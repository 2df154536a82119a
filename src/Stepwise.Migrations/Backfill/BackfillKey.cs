using System.Data.Common;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace Stepwise.Migrations.Backfill;

/// <summary>
/// A value of the walked primary key, exactly as the driver read it (one CLR value per key column), and the text
/// it is stored as in a checkpoint. The text is a JSON array of <c>{"t": type tag, "v": invariant text}</c>
/// (base64 for bytes, round-trip "O" form for dates and times, "R" for floating point) that decodes back to the
/// same CLR types, so the key goes back to the database as typed parameters and compares there (collations and
/// time zones are the database's); C# never orders keys. Two keys are equal when their stored texts are.
/// Checkpoints of the previous release (a JSON array of plain strings) decode as <see cref="IsLegacy"/> keys
/// whose values are those strings, bound as text as that release did.
/// </summary>
public sealed class BackfillKey : IEquatable<BackfillKey>
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private BackfillKey(IReadOnlyList<object> values, string encoded, bool legacy)
    {
        Values = values;
        Encoded = encoded;
        IsLegacy = legacy;
    }

    /// <summary>One value per key column, in key order (typed as read; strings for a legacy key).</summary>
    public IReadOnlyList<object> Values { get; }

    /// <summary>The checkpoint text.</summary>
    public string Encoded { get; }

    /// <summary>Read from a checkpoint of the previous release: values are text the database casts.</summary>
    public bool IsLegacy { get; }

    /// <summary>The key of the row the reader is on (all its columns, in order).</summary>
    public static BackfillKey Read(DbDataReader reader)
    {
        var values = new object[reader.FieldCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.GetValue(i);
        }

        return Of(values);
    }

    /// <summary>A key of these values (as a driver returns them).</summary>
    public static BackfillKey Of(IReadOnlyList<object> values)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                var (tag, text) = Encode(value);
                writer.WriteStartObject();
                writer.WriteString("t", tag);
                writer.WriteString("v", text);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        var encoded = Encoding.UTF8.GetString(stream.ToArray());
        return new BackfillKey(values, encoded, legacy: false);
    }

    /// <summary>Decodes a checkpoint text; throws <see cref="FormatException"/> when it is neither form.</summary>
    public static BackfillKey Decode(string encoded)
    {
        try
        {
            using var doc = JsonDocument.Parse(encoded);
            var elements = doc.RootElement.EnumerateArray().ToList();
            if (elements.All(e => e.ValueKind == JsonValueKind.String))
            {
                return new BackfillKey(elements.Select(e => (object)e.GetString()!).ToArray(), encoded, legacy: true);
            }

            var values = elements.Select(e => Decode(e.GetProperty("t").GetString()!, e.GetProperty("v").GetString()!)).ToArray();
            return new BackfillKey(values, encoded, legacy: false);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or OverflowException or ArgumentException)
        {
            throw new FormatException($"checkpoint key {encoded} cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>True when both keys have the same stored text (<see cref="Encoded"/>).</summary>
    public bool Equals(BackfillKey? other) => other is not null && string.Equals(Encoded, other.Encoded, StringComparison.Ordinal);

    /// <summary>True when <paramref name="obj"/> is a <see cref="BackfillKey"/> with the same stored text.</summary>
    public override bool Equals(object? obj) => obj is BackfillKey other && Equals(other);

    /// <summary>The hash of the stored text.</summary>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Encoded);

    /// <summary>The stored text (<see cref="Encoded"/>).</summary>
    public override string ToString() => Encoded;

    private static (string Tag, string Text) Encode(object value) => value switch
    {
        DBNull => ("null", string.Empty),
        long v => ("i8", v.ToString(Invariant)),
        int v => ("i4", v.ToString(Invariant)),
        short v => ("i2", v.ToString(Invariant)),
        sbyte v => ("i1", v.ToString(Invariant)),
        byte v => ("u1", v.ToString(Invariant)),
        ushort v => ("u2", v.ToString(Invariant)),
        uint v => ("u4", v.ToString(Invariant)),
        ulong v => ("u8", v.ToString(Invariant)),
        decimal v => ("dec", v.ToString(Invariant)), // keeps the scale: 1.50 stays 1.50
        double v => ("f8", v.ToString("R", Invariant)),
        float v => ("f4", v.ToString("R", Invariant)),
        BigInteger v => ("bigint", v.ToString(Invariant)),
        bool v => ("bool", v ? "true" : "false"),
        string v => ("s", v),
        char v => ("s", v.ToString()),
        byte[] v => ("bytes", Convert.ToBase64String(v)),
        Guid v => ("uuid", v.ToString("D")),
        DateTime v => ("dt", v.ToString("O", Invariant)), // ticks and Kind: a UTC timestamptz stays UTC
        DateTimeOffset v => ("dto", v.ToString("O", Invariant)),
        DateOnly v => ("date", v.ToString("O", Invariant)),
        TimeOnly v => ("time", v.Ticks.ToString(Invariant)),
        TimeSpan v => ("span", v.Ticks.ToString(Invariant)),

        // a type without an exact form here (inet, ranges …): its invariant text, which the database casts back
        IFormattable v => ("text", v.ToString(null, Invariant)),
        _ => ("text", value.ToString() ?? string.Empty),
    };

    private static object Decode(string tag, string text) => tag switch
    {
        "null" => DBNull.Value,
        "i8" => long.Parse(text, NumberStyles.Integer, Invariant),
        "i4" => int.Parse(text, NumberStyles.Integer, Invariant),
        "i2" => short.Parse(text, NumberStyles.Integer, Invariant),
        "i1" => sbyte.Parse(text, NumberStyles.Integer, Invariant),
        "u1" => byte.Parse(text, NumberStyles.Integer, Invariant),
        "u2" => ushort.Parse(text, NumberStyles.Integer, Invariant),
        "u4" => uint.Parse(text, NumberStyles.Integer, Invariant),
        "u8" => ulong.Parse(text, NumberStyles.Integer, Invariant),
        "dec" => decimal.Parse(text, NumberStyles.Float, Invariant),
        "f8" => double.Parse(text, NumberStyles.Float, Invariant),
        "f4" => float.Parse(text, NumberStyles.Float, Invariant),
        "bigint" => BigInteger.Parse(text, NumberStyles.Integer, Invariant),
        "bool" => text == "true",
        "s" or "text" => text,
        "bytes" => Convert.FromBase64String(text),
        "uuid" => Guid.ParseExact(text, "D"),
        "dt" => DateTime.ParseExact(text, "O", Invariant, DateTimeStyles.RoundtripKind),
        "dto" => DateTimeOffset.ParseExact(text, "O", Invariant, DateTimeStyles.RoundtripKind),
        "date" => DateOnly.ParseExact(text, "O", Invariant),
        "time" => new TimeOnly(long.Parse(text, NumberStyles.Integer, Invariant)),
        "span" => new TimeSpan(long.Parse(text, NumberStyles.Integer, Invariant)),
        _ => throw new FormatException($"unknown key type tag '{tag}'"),
    };
}
