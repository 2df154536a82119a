using Stepwise.Sql;
using Stepwise.Sql.Lexing;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis;

/// <summary>
/// A migration whose first line is <c>-- stepwise:expand-contract</c> runs as expand (<c>up</c>) and contract
/// (<c>complete</c>): renames, type changes, NOT NULL, required columns and drops never break the running release,
/// and CREATE INDEX / ADD FOREIGN KEY / CHECK / UNIQUE run in their safe forms. The linter judges such a file by what
/// will really run: no finding for what the plan makes safe, an <c>invalid-expand-contract</c> error for what it
/// certainly cannot run (only what is certain from the text; the engine refuses the rest against the catalog).
/// </summary>
internal static class ExpandContractDirective
{
    /// <summary>The directive, matched case-insensitively at the file's first non-blank line.</summary>
    public const string Prefix = "-- stepwise:expand-contract";

    private const string Leading = "\uFEFF \t\r\n";

    /// <summary>Rules whose findings the directive answers: the plan runs the statement in its safe form.</summary>
    private static readonly HashSet<string> MadeSafeRules = new(StringComparer.Ordinal)
    {
        "rename-column", "rename-table", "changing-column-type", "set-not-null", "adding-required-column", "drop-column", "drop-table",
        "non-concurrent-index", "constraint-missing-not-valid", "adding-unique-constraint",
    };

    /// <summary>The <c>-- stepwise:</c> lines an expand/contract file may hold besides the directive.</summary>
    private static readonly string[] KnownOptions = ["fill", "old-value", "ignore", "ignore-file"];

    public static bool IsPresent(string text)
    {
        var start = text.AsSpan().TrimStart(Leading);
        return start.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && (start.Length == Prefix.Length || char.IsWhiteSpace(start[Prefix.Length]));
    }

    /// <summary>True when a finding of <paramref name="rule"/> on <paramref name="statement"/> is about something the
    /// plan runs safely.</summary>
    public static bool MadeSafe(string rule, Statement? statement)
    {
        if (statement is null || statement.Context is not null)
        {
            return false;
        }

        if (MadeSafeRules.Contains(rule))
        {
            return true;
        }

        // MySQL: a MODIFY/CHANGE/rename the plan runs as shadow column + online steps instead of a COPY ALTER
        return rule == "mysql-unsafe-algorithm" && statement is AlterTableStatement alter && alter.Actions.Count > 0 &&
            alter.Actions.All(a => a is RenameColumnAction or AlterColumnTypeAction or SetNotNullAction or AddColumnAction or DropColumnAction or RenameTableAction or AddConstraintAction);
    }

    /// <summary>What certainly cannot run as an expand/contract migration. In any file: the directive on a line
    /// other than the first. In a directive file: options on the directive line, unknown <c>-- stepwise:</c> lines,
    /// a self-managed transaction, a data change, and on SQLite ALTER COLUMN TYPE / SET NOT NULL.</summary>
    public static List<(TextSpan Span, string Message)> Problems(ParsedScript script, SqlDialect dialect)
    {
        var problems = new List<(TextSpan, string)>();
        var fills = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var text = script.Source.Text;
        var present = IsPresent(text);
        var firstLineStart = text.Length - text.AsSpan().TrimStart(Leading).Length;
        foreach (var token in script.Tokens)
        {
            if (token.Kind != TokenKind.LineComment)
            {
                continue;
            }

            var comment = script.Source.ToString(token.Span).TrimEnd('\r', '\n', ' ', '\t');
            var body = comment.TrimStart('-', '#', ' ', '\t');
            if (!body.StartsWith("stepwise:", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var rest = body["stepwise:".Length..];
            var name = rest.Split([' ', '\t'], 2)[0].ToLowerInvariant();
            var args = rest[name.Length..].Trim();
            if (name == "expand-contract")
            {
                if (token.Start != firstLineStart)
                {
                    problems.Add((token.Span, $"`{Prefix}` must be the file's first line to take effect; here the file runs as a plain migration"));
                }
                else if (args.Length > 0)
                {
                    problems.Add((token.Span, $"unknown option '{args}' on the directive line: `{Prefix}` takes no options (per-column values go on `-- stepwise:fill COLUMN = EXPR` / `-- stepwise:old-value COLUMN = EXPR` lines)"));
                }

                continue;
            }

            if (name.StartsWith("expand-contract", StringComparison.Ordinal) || name.StartsWith("expand_contract", StringComparison.Ordinal))
            {
                problems.Add((token.Span, $"unknown directive `-- stepwise:{name}`: the file runs as a plain migration; the directive is `{Prefix}`"));
                continue;
            }

            if (!present)
            {
                continue;
            }

            if (name is "fill" or "old-value")
            {
                var eq = args.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || args[..eq].Trim().Contains(' ', StringComparison.Ordinal) || args[(eq + 1)..].Trim().Length == 0)
                {
                    problems.Add((token.Span, $"`-- stepwise:{name}` needs the form `-- stepwise:{name} COLUMN = EXPRESSION`"));
                }
                else if (name == "fill")
                {
                    fills.Add(args[..eq].Trim().Trim('"', '`', '[', ']'));
                }
            }
            else if (name == "no-transaction")
            {
                problems.Add((token.Span, "`-- stepwise:no-transaction` in an expand/contract file: the plan runs each step in transactions of its own (and outside one where it must); remove the line"));
            }
            else if (name == "backfill")
            {
                problems.Add((token.Span, "`-- stepwise:backfill` in an expand/contract file: the plan backfills the new shape itself; a file is one or the other"));
            }
            else if (!KnownOptions.Contains(name))
            {
                problems.Add((token.Span, $"unknown line `-- stepwise:{name}` in an expand/contract file (known: {string.Join(", ", KnownOptions.Select(o => "stepwise:" + o))})"));
            }
        }

        if (!present)
        {
            return problems;
        }

        foreach (var statement in script.Statements)
        {
            switch (statement)
            {
                case TransactionStatement:
                    problems.Add((statement.Span, $"{statement.Keywords} in an expand/contract file: the plan runs each phase in transactions of its own, so a transaction the file manages itself cannot run; remove it"));
                    break;
                case InsertStatement or UpdateStatement or DeleteStatement or TruncateStatement:
                    problems.Add((statement.Span, $"{statement.Keywords} changes data in an expand/contract file: abort could not undo it, and the plan backfills the new shape itself. Put it in its own migration (a large UPDATE as a `-- stepwise:backfill` file)"));
                    break;
                case AlterTableStatement alter:
                    foreach (var add in alter.Actions.OfType<AddColumnAction>())
                    {
                        var column = add.Column;
                        var noDefault = Facts.Volatility.IsNullDefault(column.Default);
                        if (!column.NotNull || !noDefault || column.PrimaryKey || column.Identity != IdentityKind.None || column.GeneratedStored is not null || column.GeneratedVirtual)
                        {
                            continue;
                        }

                        if (dialect == SqlDialect.Sqlite)
                        {
                            problems.Add((add.Span, $"SQLite cannot add the NOT NULL column {column.Name} without a non-NULL DEFAULT (the statement fails without the directive too), nor make it NOT NULL later without rebuilding the table: give it a constant DEFAULT"));
                        }
                        else if (!fills.Contains(column.Name))
                        {
                            problems.Add((add.Span, $"NOT NULL column {column.Name} has no DEFAULT and no `-- stepwise:fill {column.Name} = EXPR` line: the plan has no value for the existing rows and the old release's inserts"));
                        }
                    }

                    if (dialect != SqlDialect.Sqlite)
                    {
                        break;
                    }

                    foreach (var action in alter.Actions)
                    {
                        if (action is AlterColumnTypeAction { Definition: null })
                        {
                            problems.Add((action.Span, "SQLite has no ALTER COLUMN … TYPE (the statement fails without the directive too): a column's type changes only by rebuilding the table, which expand/contract does not do"));
                        }
                        else if (action is SetNotNullAction)
                        {
                            problems.Add((action.Span, "SQLite has no ALTER COLUMN … SET NOT NULL (the statement fails without the directive too): NOT NULL is added only by rebuilding the table, which expand/contract does not do"));
                        }
                    }

                    break;
            }
        }

        return problems;
    }
}
