using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Stepwise.Analysis.Reporting;

/// <summary>Runs a Utf8JsonWriter (AOT-safe, no reflection) and copies its output to a TextWriter.</summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        NewLine = "\n",
        // SQL is full of quotes and angle brackets; the output is a file, not HTML, so keep them readable
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        output.Write('\n');
    }

    /// <summary>Writes the 1-based start and end (just after the span) of a span with the given names.</summary>
    public static void WriteRange(
        Utf8JsonWriter writer,
        Stepwise.Sql.SourceText source,
        Stepwise.Sql.TextSpan span,
        (string Line, string Column, string EndLine, string EndColumn) names)
    {
        var start = source.GetLinePosition(span.Start);
        var end = source.GetLinePosition(span.End);
        writer.WriteNumber(names.Line, start.Line);
        writer.WriteNumber(names.Column, start.Column);
        writer.WriteNumber(names.EndLine, end.Line);
        writer.WriteNumber(names.EndColumn, end.Column);
    }

    /// <summary>"table": {name, rows, bytes, new, text} and, when the severity was lowered, "loweredFrom" and
    /// "loweredBecause"; nothing when the finding has no size (linted without a database).</summary>
    public static void WriteTableSize(Utf8JsonWriter writer, Finding finding)
    {
        if (finding.Size is not { } size)
        {
            return;
        }

        writer.WriteStartObject("table");
        writer.WriteString("name", size.Table);
        writer.WriteNumber("rows", size.Rows);
        writer.WriteNumber("bytes", size.Bytes);
        writer.WriteBoolean("new", size.IsNew);
        writer.WriteString("text", size.Text);
        writer.WriteEndObject();
        if (finding.LoweredFrom is { } lowered)
        {
            writer.WriteString("loweredFrom", lowered.Name());
            writer.WriteString("loweredBecause", finding.LoweredBecause);
        }
    }
}
