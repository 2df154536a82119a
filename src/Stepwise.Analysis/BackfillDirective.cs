using System.Globalization;
using Stepwise.Analysis.Schema;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis;

/// <summary>The options of a <c>-- stepwise:backfill</c> line. Null: not given (the runner's default applies).</summary>
public sealed record BackfillOptions(string? Name, int? BatchSize, TimeSpan? BatchTime, TimeSpan? Sleep, TimeSpan? LockTimeout)
{
    /// <summary><c>nice-ratio=R</c>: after each batch, pause R times the batch's duration (0 to 100).</summary>
    public double? NiceRatio { get; init; }
}

/// <summary>A migration file that is a backfill: its one UPDATE, taken apart, and the directive's options.</summary>
public sealed record BackfillFile(UpdateStatement Update, string Table, string Set, string? Where, BackfillOptions Options);

/// <summary>What is wrong with a backfill file, and where.</summary>
public sealed record BackfillFileProblem(TextSpan Span, string Message);

/// <summary>
/// A migration whose first line is <c>-- stepwise:backfill [name=… batch-size=N batch-time=100ms sleep=… nice-ratio=R lock-timeout=…]</c>
/// holds exactly one <c>UPDATE table SET … [WHERE …]</c>, which <c>up</c> runs in keyset batches with a checkpoint
/// instead of as one statement. The linter and the runner read the file with this one reader, so a file the
/// linter accepts is one the runner can run.
/// </summary>
public static class BackfillDirective
{
    /// <summary>The directive's start, matched case-insensitively at the file's first non-blank line.</summary>
    public const string Prefix = "-- stepwise:backfill";

    /// <summary>The directive's full form, quoted in problems about unknown options.</summary>
    public const string Usage = "-- stepwise:backfill [name=NAME] [batch-size=N] [batch-time=100ms] [sleep=100ms] [nice-ratio=1] [lock-timeout=1s]";

    /// <summary>True when the file's first non-blank line starts with the directive.</summary>
    public static bool IsPresent(string text) =>
        text.AsSpan().TrimStart(Leading).StartsWith(Prefix, StringComparison.OrdinalIgnoreCase); // no copy: asked once per data statement

    private const string Leading = "\uFEFF \t\r\n";

    /// <summary>Reads a backfill file; null with a problem when the file is not one the runner can run, null
    /// without one when it has no directive.</summary>
    public static BackfillFile? Read(ParsedScript script, out BackfillFileProblem? problem)
    {
        problem = null;
        var text = script.Source.Text;
        if (!IsPresent(text))
        {
            return null;
        }

        var lineStart = text.Length - text.AsSpan().TrimStart(Leading).Length;
        var lineEnd = text.IndexOf('\n', lineStart);
        lineEnd = lineEnd < 0 ? text.Length : lineEnd;
        var lineSpan = new TextSpan(lineStart, lineEnd - lineStart);
        var options = ReadOptions(text.AsSpan(lineStart, lineEnd - lineStart).TrimEnd('\r')[Prefix.Length..].ToString(), out var optionError);
        if (options is null)
        {
            problem = new BackfillFileProblem(lineSpan, optionError!);
            return null;
        }

        var statements = script.Statements.Where(st => st.Span.Length > 0).ToList();
        if (statements.Count != 1 || statements[0] is not UpdateStatement update)
        {
            var where = statements.FirstOrDefault(st => st is not UpdateStatement) ?? (statements.Count > 1 ? statements[1] : null);
            problem = new BackfillFileProblem(where?.Span ?? lineSpan,
                $"a backfill file holds exactly one UPDATE table SET … [WHERE …]; this one has {Describe(statements)}. Put other statements in their own migration");
            return null;
        }

        var shape = ShapeProblem(script, update);
        if (shape is not null)
        {
            problem = new BackfillFileProblem(update.Span, shape);
            return null;
        }

        return new BackfillFile(update, update.Table.ToString(), update.Set!.Text.Trim(), update.Where?.Text.Trim(), options);
    }

    /// <summary>Problems the replayed schema can show before the file runs: a MySQL table with neither a primary key nor
    /// a unique NOT NULL key (keyset batches need one; PostgreSQL falls back to ctid ranges, SQLite to rowid), a SET
    /// column the table does not have.</summary>
    public static string? SchemaProblem(BackfillFile file, SchemaModel schema, SqlDialect dialect)
    {
        if (schema.Table(file.Update.Table) is not { } table)
        {
            return null; // created outside these migrations: the runner checks it against the database
        }

        // without a primary key the runner walks a unique index on NOT NULL columns; PostgreSQL walks ctid ranges, SQLite rowid
        bool AllNotNull(IReadOnlyList<string> columns) => columns.Count > 0 && columns.All(c => table.Column(c)?.NotNull == true);
        var keyed = table.Constraints.Any(c => c.Kind == ConstraintKind.PrimaryKey || (c.Kind == ConstraintKind.Unique && AllNotNull(c.Columns)))
            || schema.IndexesOn(table.Key).Any(i => i.Unique && !i.Partial && AllNotNull(i.Columns));
        if (dialect == SqlDialect.MySql && !keyed)
        {
            return $"table {file.Table} has no primary key and no unique index whose columns are all NOT NULL: a backfill walks the table in key order. Add a primary key, or a unique index on NOT NULL columns, in an earlier migration";
        }

        var missing = file.Update.SetColumns.FirstOrDefault(c => table.Column(c) is null);
        return missing is null ? null : $"table {file.Table} has no column {missing} (as of the migrations before this one)";
    }

    private static string Describe(List<Statement> statements) => statements.Count switch
    {
        0 => "no statement",
        1 => $"one {Keywords(statements[0])} statement",
        _ => $"{statements.Count} statements ({string.Join(", ", statements.Take(4).Select(Keywords))}{(statements.Count > 4 ? ", …" : string.Empty)})",
    };

    private static string Keywords(Statement statement) => statement.Keywords.Length > 0 ? statement.Keywords : statement.Kind.ToString();

    /// <summary>Only <c>UPDATE table SET … [WHERE …]</c>: the runner rewrites the WHERE with key bounds, so an
    /// alias, a FROM/JOIN, ORDER BY, LIMIT or RETURNING would change the meaning or be dropped.</summary>
    private static string? ShapeProblem(ParsedScript script, UpdateStatement update)
    {
        if (update.Set is null || update.SetColumns.Count == 0)
        {
            return "the backfill's UPDATE has no SET list";
        }

        if (update.HasFrom)
        {
            return "the backfill's UPDATE has a FROM list: write the value as a subquery in SET (SET x = (SELECT … WHERE o.id = t.other_id))";
        }

        if (update.HasLimit)
        {
            return "the backfill's UPDATE has a LIMIT: batching is the runner's job; remove it";
        }

        if (update.Alias is not null)
        {
            return "the backfill's UPDATE gives the table an alias: name columns without it (the runner adds its own key bounds to the WHERE)";
        }

        var significant = new List<Token>();
        for (var i = update.FirstToken; i < update.EndToken && i < script.Tokens.Length; i++)
        {
            if (!script.Tokens[i].IsTrivia && script.Tokens[i].Kind != TokenKind.Semicolon)
            {
                significant.Add(script.Tokens[i]);
            }
        }

        // nothing between the table name and SET (a MySQL JOIN list), nothing after the last clause
        var setKeyword = significant.FindIndex(t => t.Start >= update.Table.Span.End);
        if (setKeyword < 0 || !string.Equals(script.Source.ToString(significant[setKeyword].Span), "SET", StringComparison.OrdinalIgnoreCase))
        {
            return "the backfill's UPDATE names more than one table: write the value as a subquery in SET";
        }

        var end = (update.Where ?? update.Set).Span.End;
        var extra = significant.FirstOrDefault(t => t.Start >= end);
        return extra.Length > 0
            ? $"the backfill's UPDATE has '{script.Source.ToString(extra.Span)}' after its {(update.Where is null ? "SET list" : "WHERE")}: only UPDATE table SET … [WHERE …] can be batched (no ORDER BY, LIMIT or RETURNING)"
            : null;
    }

    private static BackfillOptions? ReadOptions(string rest, out string? error)
    {
        error = null;
        var options = new BackfillOptions(null, null, null, null, null);
        if (rest.Length > 0 && !char.IsWhiteSpace(rest[0]))
        {
            error = $"unknown directive '{Prefix}{rest.Split(' ', 2)[0]}'; the form is: {Usage}";
            return null;
        }

        foreach (var option in rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = option.IndexOf('=', StringComparison.Ordinal);
            var (key, value) = eq > 0 ? (option[..eq].ToLowerInvariant(), option[(eq + 1)..]) : (option.ToLowerInvariant(), string.Empty);
            BackfillOptions? next = key switch
            {
                "name" when value.Length > 0 && value.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or ':') => options with { Name = value },
                "batch-size" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => options with { BatchSize = n },
                "batch-time" when DurationText.TryParse(value, out var t) && t > TimeSpan.Zero => options with { BatchTime = t },
                "sleep" when DurationText.TryParse(value, out var t) => options with { Sleep = t },
                "lock-timeout" when DurationText.TryParse(value, out var t) && t > TimeSpan.Zero => options with { LockTimeout = t },
                "nice-ratio" when double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var r) && r >= 0 && r <= 100 => options with { NiceRatio = r },
                _ => null,
            };
            if (next is null)
            {
                error = key is "name" or "batch-size" or "batch-time" or "sleep" or "lock-timeout" or "nice-ratio"
                    ? $"bad value in '{option}': {Expected(key)}"
                    : $"unknown option '{option}'; the form is: {Usage}";
                return null;
            }

            options = next;
        }

        return options;
    }

    private static string Expected(string key) => key switch
    {
        "name" => "a name of letters, digits, '_', '-', '.' or ':'",
        "batch-size" => "a whole number of rows above 0",
        "nice-ratio" => "a number from 0 to 100, e.g. 1 (pause as long as each batch took)",
        _ => "a duration such as 200ms, 2s or 1m",
    };
}
