using System.Text.Json;
using Stepwise.Migrations.Schema;
using Stepwise.Migrations.Verify;

namespace Stepwise.Cli.Commands;

/// <summary>`verify` and `diff` results as JSON.</summary>
internal static class VerifyJson
{
    public static string Write(VerifyResult result) => Json(w =>
    {
        w.WriteString("outcome", result.Outcome == VerifyOutcome.Clean ? "clean" : "problems");
        w.WriteString("scratch", result.Scratch);
        w.WriteStartArray("migrations");
        foreach (var m in result.Migrations)
        {
            w.WriteStartObject();
            w.WriteString("version", m.Version);
            w.WriteString("name", m.Name);
            w.WriteBoolean("roundTrip", m.RoundTrip);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("problems");
        foreach (var p in result.Problems)
        {
            w.WriteStartObject();
            w.WriteString("version", p.Version);
            w.WriteString("name", p.Name);
            w.WriteString("kind", Kebab(p.Kind.ToString()));
            Differences(w, p.Differences);
            w.WriteStartArray("dataLost");
            foreach (var loss in p.Losses)
            {
                w.WriteStartObject();
                w.WriteString("table", loss.Table);
                w.WriteNumber("rowsBefore", loss.RowsBefore);
                w.WriteNumber("rowsAfter", loss.RowsAfter);
                w.WriteNumber("rowsMissing", loss.RowsMissing);
                w.WriteNumber("valuesChanged", loss.ValuesChanged);
                w.WriteStartArray("columns");
                foreach (var c in loss.Columns)
                {
                    w.WriteStringValue(c);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (p.Run?.Failure is { } f)
            {
                w.WriteStartObject("failure");
                w.WriteNumber("statementIndex", f.StatementIndex ?? -1);
                w.WriteString("sqlState", f.SqlState);
                w.WriteString("message", f.Message);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("notReached", result.NotReached);
        w.WriteStartArray("seedNotes");
        foreach (var note in result.SeedNotes)
        {
            w.WriteStringValue(note);
        }

        w.WriteEndArray();
    });

    public static string Write(DriftResult result) => Json(w =>
    {
        w.WriteString("outcome", result.Outcome == VerifyOutcome.Clean ? "clean" : "drift");
        w.WriteString("database", result.Database);
        w.WriteNumber("replayed", result.Replayed);
        w.WriteBoolean("noJournal", result.NoJournal);
        Differences(w, result.Differences);
    });

    private static void Differences(Utf8JsonWriter w, IReadOnlyList<SchemaDifference> differences)
    {
        w.WriteStartArray("differences");
        foreach (var d in differences)
        {
            w.WriteStartObject();
            w.WriteString("kind", Kebab(d.Kind.ToString()));
            w.WriteString("table", d.Table);
            w.WriteString("name", d.Name);
            w.WriteString("expected", d.Before);
            w.WriteString("actual", d.After);
            w.WriteString("text", VerifyText.Difference(d));
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static string Kebab(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
