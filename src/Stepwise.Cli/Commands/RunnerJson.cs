using System.Text.Json;
using Stepwise.Migrations.Running;

namespace Stepwise.Cli.Commands;

/// <summary>A runner result as JSON: outcome, migrations with states, what was done, the failure as data, and the
/// same lines the text output prints.</summary>
internal static class RunnerJson
{
    public static string Write(RunResult result, IReadOnlyList<string> lines)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("outcome", result.Outcome switch { RunOutcome.Ok => "ok", RunOutcome.ActionNeeded => "action-needed", _ => "error" });
            w.WriteStartArray("migrations");
            foreach (var s in result.Statuses)
            {
                w.WriteStartObject();
                w.WriteString("version", s.Version);
                w.WriteString("name", s.Name);
                w.WriteString("state", MigrationStatus.StateName(s.State));
                if (s.State is MigrationStatusKind.Expanded or MigrationStatusKind.Completing or MigrationStatusKind.Aborting && s.Journal is { } row)
                {
                    w.WriteString("since", row.AppliedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
                }
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("applied");
            foreach (var v in result.Done)
            {
                w.WriteStringValue(v);
            }

            w.WriteEndArray();
            w.WriteStartArray("problems");
            foreach (var p in result.Problems)
            {
                w.WriteStringValue(Kebab(p.GetType().Name));
            }

            w.WriteEndArray();
            if (result.Failure is { } f)
            {
                w.WriteStartObject("failure");
                w.WriteString("version", f.Version);
                w.WriteString("name", f.Name);
                w.WriteString("direction", f.Direction == MigrationDirection.Down ? "down" : "up");
                if (f.StatementIndex is { } i)
                {
                    w.WriteNumber("statement", i + 1);
                }

                w.WriteNumber("statements", f.StatementCount);
                w.WriteNumber("statementsApplied", f.StatementsApplied);
                if (f.Phase is { } phase)
                {
                    w.WriteString("phase", phase.ToString().ToLowerInvariant());
                }

                if (f.RolledBackFrom is { } begin)
                {
                    // 1-based, as "statement": the BEGIN of the file's own transaction that rolled back
                    w.WriteNumber("rolledBackFrom", begin + 1);
                }

                w.WriteString("kind", Kebab(f.Kind.ToString()));
                if (f.SqlState is { } state)
                {
                    w.WriteString("sqlState", state);
                }

                w.WriteString("message", f.Message);
                w.WriteEndObject();
            }

            w.WriteStartArray("messages");
            foreach (var m in lines)
            {
                w.WriteStringValue(m);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
