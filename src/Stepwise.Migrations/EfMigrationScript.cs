using System.Text.RegularExpressions;
using Stepwise.Analysis;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Migrations;

/// <summary>One migration of an EF Core script: its id and the part of the script that applies it.</summary>
public sealed record EfScriptBlock(string MigrationId, TextSpan Span);

/// <summary>
/// Recognises a script from <c>dotnet ef migrations script</c> (plain or <c>--idempotent</c>): each migration
/// ends with its <c>INSERT INTO "__EFMigrationsHistory"</c> (and the COMMIT after it). Linted as one file the
/// script would start from an empty database, so every table looks new; split into one lint input per
/// migration, each migration is judged against the ones before it, as the database that runs it will be.
/// </summary>
public static partial class EfMigrationScript
{
    // "…", `…` or […] quoting; SQL Server writes N'…'
    [GeneratedRegex("""INSERT\s+INTO\s+[`"\[]?__EFMigrationsHistory[`"\]]?\s*\([^)]*\)\s*VALUES\s*\(\s*N?'(?<id>[^']+)'""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HistoryInsert();

    /// <summary>The migrations of an EF Core script in order, or an empty list when it is not one.</summary>
    public static IReadOnlyList<EfScriptBlock> Split(SourceText source, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Text.IndexOf("__EFMigrationsHistory", StringComparison.OrdinalIgnoreCase) < 0)
        {
            return [];
        }

        var statements = ParsedScript.Parse(source, dialect).Statements;
        var blocks = new List<EfScriptBlock>();
        var start = 0;
        for (var i = 0; i < statements.Count; i++)
        {
            var match = HistoryInsert().Match(source.ToString(statements[i].Span));
            if (!match.Success)
            {
                continue;
            }

            // the COMMIT that closes the migration's transaction belongs to it
            var last = i + 1 < statements.Count && statements[i + 1] is TransactionStatement { Operation: TransactionOperation.Commit, Context: null } ? i + 1 : i;
            var end = AfterTerminator(source.Text, statements[last].Span.End);
            blocks.Add(new EfScriptBlock(match.Groups["id"].Value, new TextSpan(start, end - start)));
            start = end;
            i = last;
        }

        if (blocks.Count > 0 && start < source.Length)
        {
            // whatever follows the last history row (a trailing COMMIT, comments) is the last migration's
            var lastBlock = blocks[^1];
            blocks[^1] = lastBlock with { Span = new TextSpan(lastBlock.Span.Start, source.Length - lastBlock.Span.Start) };
        }

        return blocks;
    }

    /// <summary>Replaces each input that is an EF Core script by one input per migration. Each keeps the
    /// script's path and positions (the rest of the script is blanked, lines kept), so findings point into
    /// the script; a migration that starts inside a transaction opened earlier keeps that BEGIN.</summary>
    public static IReadOnlyList<LintInput> SplitInputs(IReadOnlyList<LintInput> inputs, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        List<LintInput>? result = null;
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var blocks = input.ReadError is null && !input.IsDown ? Split(input.Source, dialect) : [];
            if (blocks.Count < 2)
            {
                result?.Add(input);
                continue;
            }

            result ??= [.. inputs.Take(i)];
            var openedAt = OpenTransactions(input.Source, dialect, blocks);
            var blank = Blanked(input.Source.Text);
            for (var b = 0; b < blocks.Count; b++)
            {
                var keep = openedAt[b] is { } begin ? [begin, blocks[b].Span] : new[] { blocks[b].Span };
                result.Add(input with { Source = new SourceText(Blank(input.Source.Text, blank, keep), input.Source.Path) });
            }
        }

        return result ?? inputs;
    }

    /// <summary>For each block: the BEGIN / START TRANSACTION still open where it starts, if any.</summary>
    private static TextSpan?[] OpenTransactions(SourceText source, SqlDialect dialect, IReadOnlyList<EfScriptBlock> blocks)
    {
        var result = new TextSpan?[blocks.Count];
        TextSpan? open = null;
        var b = 0;
        foreach (var statement in ParsedScript.Parse(source, dialect).Statements)
        {
            while (b < blocks.Count && blocks[b].Span.Start <= statement.Span.Start)
            {
                result[b++] = open;
            }

            if (statement is TransactionStatement { Context: null } transaction)
            {
                open = transaction.Operation == TransactionOperation.Begin ? new TextSpan(statement.Span.Start, AfterTerminator(source.Text, statement.Span.End) - statement.Span.Start) : null;
            }
        }

        return result;
    }

    /// <summary>The offset after a statement's own ';' (the statement span stops before it).</summary>
    private static int AfterTerminator(string text, int end)
    {
        var i = end;
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }

        return i < text.Length && text[i] == ';' ? i + 1 : end;
    }

    /// <summary>The text with everything outside the kept spans turned into spaces (line breaks stay).</summary>
    private static string Blank(string text, string blank, IReadOnlyList<TextSpan> keep)
    {
        var chars = blank.ToCharArray();
        foreach (var span in keep)
        {
            text.CopyTo(span.Start, chars, span.Start, span.Length);
        }

        return new string(chars);
    }

    private static string Blanked(string text) => string.Create(text.Length, text, (chars, t) =>
    {
        for (var i = 0; i < t.Length; i++)
        {
            chars[i] = t[i] is '\n' or '\r' ? t[i] : ' ';
        }
    });
}
