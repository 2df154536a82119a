using System.Globalization;
using System.Text;
using System.Text.Json;
using Stepwise.Engines;
using Stepwise.Migrations.Trace;

namespace Stepwise.Cli.Commands;

/// <summary>Words a <see cref="TraceReport"/> as text, markdown or JSON.</summary>
internal static class TraceText
{
    public static void Write(TraceReport report, string format, TextWriter output)
    {
        switch (format)
        {
            case "json":
                output.WriteLine(Json(report));
                break;
            case "markdown":
                Markdown(report, output);
                break;
            default:
                Text(report, output);
                break;
        }
    }

    private static void Text(TraceReport report, TextWriter o)
    {
        o.WriteLine($"trace: {report.Statements.Count} statements, {report.RowsPerTable.ToString("N0", CultureInfo.InvariantCulture)} rows per table");
        string? file = null;
        foreach (var s in report.Statements)
        {
            if (s.Path != file)
            {
                file = s.Path;
                o.WriteLine();
                o.WriteLine(file);
            }

            o.WriteLine($"  line {s.Line}: {OneLine(s.Sql)}");
            o.WriteLine($"    {Ms(s.Trace.Duration)}{(s.InTransaction ? string.Empty : ", outside a transaction")}{(s.Trace.Algorithm is { } a ? ", ALGORITHM=" + a.ToString().ToUpperInvariant() : string.Empty)}{(s.Rewrites.Any(r => !r.IsIndex) ? ", REWRITE " + string.Join(", ", s.Rewrites.Where(r => !r.IsIndex).Select(r => r.Relation)) : string.Empty)}");
            if (s.Trace.Error is { } error)
            {
                o.WriteLine($"    failed: {error}");
            }

            foreach (var l in s.Trace.Locks.Where(l => !l.IsIndex))
            {
                o.WriteLine($"    {l.Relation}: {l.Mode}{(l.Inferred ? " (inferred)" : $" held {Ms(l.Held)}")} — blocks {Blocks(l.Blocks)}");
            }

            foreach (var c in s.Trace.Storage.Where(c => c.IsIndex && c.Kind != StorageChangeKind.Dropped))
            {
                o.WriteLine($"    index {c.Relation} on {c.Table}: {c.Kind.ToString().ToLowerInvariant()}");
            }
        }

        o.WriteLine();
        o.WriteLine("lint findings:");
        foreach (var f in report.Findings)
        {
            o.WriteLine($"  {Verdict(f.Verdict),-13} {f.Finding.Path}:{f.Finding.Start.Line} {f.Finding.Rule}");
        }

        foreach (var u in report.Unreported)
        {
            o.WriteLine($"  {"UNREPORTED",-13} {u.Statement.Path}:{u.Statement.Line} {(u.Rewrite ? "rewrites the table" : string.Empty)}{(u.Rewrite && u.Blocks != BlockedStatements.None ? "; " : string.Empty)}{(u.Blocks != BlockedStatements.None ? "blocks " + Blocks(u.Blocks) : string.Empty)} with no lint finding");
        }

        foreach (var note in report.Notes)
        {
            o.WriteLine("note: " + note);
        }

        var confirmed = report.Findings.Count(f => f.Verdict == TraceVerdict.Confirmed);
        var not = report.Findings.Count(f => f.Verdict == TraceVerdict.NotConfirmed);
        o.WriteLine();
        o.WriteLine($"{confirmed} confirmed, {not} not confirmed, {report.Findings.Count(f => f.Verdict == TraceVerdict.NotJudged)} not judged (not about locks or rewrites), {report.Unreported.Count} unreported");
    }

    private static void Markdown(TraceReport report, TextWriter o)
    {
        o.WriteLine($"### stepwise trace ({report.RowsPerTable.ToString("N0", CultureInfo.InvariantCulture)} rows per table)");
        o.WriteLine();
        o.WriteLine("| statement | duration | locks (blocks) | rewrite | lint |");
        o.WriteLine("|---|---|---|---|---|");
        foreach (var s in report.Statements)
        {
            var locks = string.Join("<br>", s.Trace.Locks.Where(l => !l.IsIndex).Select(l => $"{l.Relation}: {l.Mode} ({Blocks(l.Blocks)})"));
            var lint = string.Join("<br>", report.Findings.Where(f => ReferenceEquals(f.Statement, s)).Select(f => $"{f.Finding.Rule}: {Verdict(f.Verdict)}"))
                + (report.Unreported.Any(u => ReferenceEquals(u.Statement, s)) ? "**unreported**" : string.Empty);
            o.WriteLine($"| `{Path.GetFileName(s.Path)}:{s.Line}` {OneLine(s.Sql).Replace("|", "\\|", StringComparison.Ordinal)} | {Ms(s.Trace.Duration)} | {locks} | {(s.Rewrites.Any(r => !r.IsIndex) ? "yes" : string.Empty)} | {lint} |");
        }
    }

    private static string Json(TraceReport report)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("rowsPerTable", report.RowsPerTable);
            w.WriteStartArray("statements");
            foreach (var s in report.Statements)
            {
                w.WriteStartObject();
                w.WriteString("path", s.Path);
                w.WriteString("version", s.Version);
                w.WriteNumber("line", s.Line);
                w.WriteString("sql", s.Sql);
                w.WriteBoolean("inTransaction", s.InTransaction);
                w.WriteNumber("durationMs", Math.Round(s.Trace.Duration.TotalMilliseconds, 2));
                w.WriteBoolean("rewrite", s.Rewrites.Any(r => !r.IsIndex));
                if (s.Trace.Algorithm is { } a)
                {
                    w.WriteString("algorithm", a.ToString().ToUpperInvariant());
                }

                if (s.Trace.Error is { } e)
                {
                    w.WriteString("error", e);
                }

                w.WriteStartArray("locks");
                foreach (var l in s.Trace.Locks)
                {
                    w.WriteStartObject();
                    w.WriteString("relation", l.Relation);
                    w.WriteBoolean("index", l.IsIndex);
                    w.WriteString("mode", l.Mode);
                    w.WriteNumber("heldMs", Math.Round(l.Held.TotalMilliseconds, 2));
                    w.WriteBoolean("inferred", l.Inferred);
                    w.WriteStartArray("blocks");
                    foreach (var kind in Kinds(l.Blocks))
                    {
                        w.WriteStringValue(kind);
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("storage");
                foreach (var c in s.Trace.Storage)
                {
                    w.WriteStartObject();
                    w.WriteString("relation", c.Relation);
                    w.WriteBoolean("index", c.IsIndex);
                    w.WriteString("table", c.Table);
                    w.WriteString("change", c.Kind.ToString().ToLowerInvariant());
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("scanned");
                foreach (var t in s.Trace.Scanned)
                {
                    w.WriteStringValue(t);
                }

                w.WriteEndArray();
                w.WriteBoolean("locksObserved", s.Trace.LocksObserved);
                w.WriteStartArray("notes");
                foreach (var n in s.Trace.Notes)
                {
                    w.WriteStringValue(n);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("findings");
            foreach (var f in report.Findings)
            {
                w.WriteStartObject();
                w.WriteString("rule", f.Finding.Rule);
                w.WriteString("path", f.Finding.Path);
                w.WriteNumber("line", f.Finding.Start.Line);
                w.WriteString("verdict", f.Verdict switch { TraceVerdict.Confirmed => "confirmed", TraceVerdict.NotConfirmed => "not-confirmed", _ => "not-judged" });
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("unreported");
            foreach (var u in report.Unreported)
            {
                w.WriteStartObject();
                w.WriteString("path", u.Statement.Path);
                w.WriteNumber("line", u.Statement.Line);
                w.WriteBoolean("rewrite", u.Rewrite);
                w.WriteStartArray("blocks");
                foreach (var kind in Kinds(u.Blocks))
                {
                    w.WriteStringValue(kind);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("notes");
            foreach (var n in report.Notes)
            {
                w.WriteStringValue(n);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static IEnumerable<string> Kinds(BlockedStatements b)
    {
        foreach (var (flag, name) in new[] { (BlockedStatements.Select, "SELECT"), (BlockedStatements.Insert, "INSERT"), (BlockedStatements.Update, "UPDATE"), (BlockedStatements.Delete, "DELETE") })
        {
            if (b.HasFlag(flag))
            {
                yield return name;
            }
        }
    }

    private static string Blocks(BlockedStatements b) => b == BlockedStatements.None ? "nothing" : string.Join("/", Kinds(b));

    private static string Verdict(TraceVerdict v) => v switch
    {
        TraceVerdict.Confirmed => "confirmed",
        TraceVerdict.NotConfirmed => "NOT CONFIRMED",
        _ => "not judged",
    };

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString(t.TotalMilliseconds < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ms";

    private static string OneLine(string sql)
    {
        var one = string.Join(' ', sql.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return one.Length > 90 ? one[..87] + "..." : one;
    }
}
