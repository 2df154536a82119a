using Stepwise.Engines;

namespace Stepwise.Migrations.ExpandContract;

/// <summary>
/// The <c>-- stepwise:expand-contract</c> directive (the file's first non-blank line) and its annotation lines
/// <c>-- stepwise:fill COLUMN = EXPR</c> and <c>-- stepwise:old-value COLUMN = EXPR</c> (COLUMN may be written
/// <c>table.column</c> when two tables of the file have a column of that name).
/// </summary>
public static class ExpandContractDirective
{
    /// <summary>The directive, matched case-insensitively at the file's first non-blank line.</summary>
    public const string Prefix = "-- stepwise:expand-contract";

    /// <summary>The annotation giving the value for existing rows of an added NOT NULL column.</summary>
    public const string FillPrefix = "-- stepwise:fill";

    /// <summary>The annotation giving the new → old mapping of a changed column type.</summary>
    public const string OldValuePrefix = "-- stepwise:old-value";

    private const string Leading = "\uFEFF \t\r\n";

    /// <summary>True when the file's first non-blank line is the directive (nothing but blanks after it on the line).</summary>
    public static bool IsPresent(string text)
    {
        var rest = text.AsSpan().TrimStart(Leading);
        if (!rest.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var after = rest[Prefix.Length..];
        return after.IsEmpty || after[0] is ' ' or '\t' or '\r' or '\n';
    }

    /// <summary>The id an engine uses in the names of the objects expand creates: the version, lower-cased,
    /// every character outside [a-z0-9_] replaced by '_'.</summary>
    public static string IdOf(string version)
    {
        var chars = version.ToLowerInvariant().Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_').ToArray();
        return chars.Length == 0 ? "_" : new string(chars);
    }

    /// <summary>The checkpoint name of the plan's backfill number <paramref name="index"/> (0-based).</summary>
    public static string BackfillName(string version, int index) => $"{version}_ec_{index + 1}";

    /// <summary>The annotation lines of a file: (prefix, column or table.column, expression), in order; an
    /// annotation line that does not have the <c>COLUMN = EXPR</c> form gives an error.</summary>
    internal static IReadOnlyList<(string Prefix, string Column, string Expression)> Annotations(string text, out string? error)
    {
        error = null;
        var found = new List<(string, string, string)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            foreach (var prefix in new[] { FillPrefix, OldValuePrefix })
            {
                if (!line.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || (line.Length > prefix.Length && line[prefix.Length] is not (' ' or '\t')))
                {
                    continue;
                }

                var body = line[prefix.Length..].Trim();
                var eq = body.IndexOf('=', StringComparison.Ordinal);
                var column = eq < 0 ? string.Empty : Unquote(body[..eq].Trim());
                var expression = eq < 0 ? string.Empty : body[(eq + 1)..].Trim().TrimEnd(';').Trim();
                if (column.Length == 0 || expression.Length == 0)
                {
                    error ??= $"`{line}` does not have the form `{prefix} COLUMN = EXPR`";
                    continue;
                }

                found.Add((prefix, column, expression));
            }
        }

        return found;
    }

    private static string Unquote(string name) =>
        string.Join('.', name.Split('.').Select(part => part.Trim().Trim('"', '`', '[', ']').ToLowerInvariant()));
}

/// <summary>What a <c>-- stepwise:expand-contract</c> file asks for: its changes in order and the tables they touch.</summary>
/// <param name="Changes">The changes, in file order (an ALTER TABLE with several actions gives several).</param>
/// <param name="Tables">Every table the file names (key form; old and new names of a renamed table).</param>
public sealed record EcFile(IReadOnlyList<EcChange> Changes, IReadOnlyList<string> Tables);
