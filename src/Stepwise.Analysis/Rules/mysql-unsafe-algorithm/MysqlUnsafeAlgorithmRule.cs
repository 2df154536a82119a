using Stepwise.Analysis.Facts;
using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class MysqlUnsafeAlgorithmRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "mysql-unsafe-algorithm",
        "A MySQL ALTER that copies or rebuilds the table, or blocks writes",
        Severity.Error,
        RuleCategory.Locking,
        "State ALGORITHM=INPLACE|INSTANT, LOCK=NONE as assertions (MySQL refuses instead of copying), or use gh-ost / pt-online-schema-change on large tables.", SqlDialect.MySql);

    private const string Assertion = ", ALGORITHM=INPLACE, LOCK=NONE";

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        switch (statement)
        {
            case AlterTableStatement alter when context.IsExistingTable(alter.Table):
                CheckAlter(alter, context);
                break;
            case CreateIndexStatement index when context.IsExistingTable(index.Table):
                CheckCreateIndex(index, context);
                break;
        }
    }

    private static void CheckAlter(AlterTableStatement alter, RuleContext context)
    {
        var algorithm = alter.Algorithm ?? SessionAlgorithm(context);
        if (ReportExplicit(alter, alter.Table, algorithm, alter.Lock, context))
        {
            return;
        }

        // MySQL refuses what LOCK=NONE or ALGORITHM=INSTANT cannot do, rather than copying or blocking
        if (alter.Lock == "NONE" || algorithm == "INSTANT")
        {
            return;
        }

        var refusesCopy = MySqlOnlineDdl.RefusesCopy(algorithm);
        var table = context.Schema.Table(alter.Table);
        var checksOff = ForeignKeyChecksOff(context, alter);
        var findings = new List<(AlterTableAction Action, MySqlAlterJudgement Judgement)>();
        foreach (var action in alter.Actions)
        {
            var judgement = MySqlOnlineDdl.Judge(action, alter, table, context.Options.MySql, checksOff);
            // ALGORITHM=INPLACE/NOCOPY already refuses a copy and states that a rebuild is accepted
            if (judgement.Cost == MySqlAlterCost.Online || (refusesCopy && judgement.Cost != MySqlAlterCost.BlocksWrites))
            {
                continue;
            }

            findings.Add((action, judgement));
        }

        // asserting INPLACE + LOCK=NONE is a fix only where the server can honour it: a rebuild that lets writes go on
        var fixable = findings.Count == 1 && findings[0].Judgement.Cost == MySqlAlterCost.Rebuild && alter.Algorithm is null && alter.Lock is null;
        foreach (var (action, judgement) in findings)
        {
            var fix = fixable ? new Fix("Assert ALGORITHM=INPLACE, LOCK=NONE", [new TextEdit(new TextSpan(alter.Span.End, 0), Assertion)]) : null;
            context.Report(action.Span, $"{Capitalize(judgement.What)}: {judgement.Why}.", fix);
        }
    }

    private static void CheckCreateIndex(CreateIndexStatement index, RuleContext context)
    {
        var (algorithm, lockMode) = IndexOptions(index, context);
        algorithm ??= SessionAlgorithm(context);
        if (ReportExplicit(index, index.Table, algorithm, lockMode, context) || lockMode == "NONE" || algorithm == "INSTANT")
        {
            return;
        }

        var judgement = MySqlOnlineDdl.JudgeCreateIndex(index);
        if (judgement.Cost != MySqlAlterCost.Online)
        {
            context.Report(index, $"{Capitalize(judgement.What)}: {judgement.Why}.");
        }
    }

    /// <summary>An explicit ALGORITHM=COPY or LOCK=SHARED/EXCLUSIVE asks for the blocking behaviour outright.</summary>
    private static bool ReportExplicit(Statement statement, ObjectName table, string? algorithm, string? lockMode, RuleContext context)
    {
        if (lockMode is "SHARED" or "EXCLUSIVE")
        {
            var blocks = lockMode == "SHARED" ? "blocks writes" : "blocks reads and writes";
            context.Report(statement, $"LOCK={lockMode} {blocks} on {table} for the whole statement.");
            return true;
        }

        if (algorithm == "COPY")
        {
            context.Report(statement, $"ALGORITHM=COPY copies every row of {table} into a new table while writes wait.");
            return true;
        }

        return false;
    }

    /// <summary>MariaDB's `SET alter_algorithm = …` applies to every later ALTER without its own clause.</summary>
    private static string? SessionAlgorithm(RuleContext context) =>
        context.Settings.TryGetValue("alter_algorithm", out var value) ? value.Trim().Trim('\'', '"').ToUpperInvariant() : null;

    /// <summary>Whether foreign_key_checks is 0 when the statement runs: from SET statements, including the
    /// `/*!40014 SET FOREIGN_KEY_CHECKS=0 */` conditional comments mysqldump writes.</summary>
    private static bool ForeignKeyChecksOff(RuleContext context, Statement statement)
    {
        string? value = null;
        foreach (var earlier in context.Script.Statements)
        {
            if (earlier.Span.Start >= statement.Span.Start)
            {
                break;
            }

            if (earlier is SetStatement set && string.Equals(set.Name, "foreign_key_checks", StringComparison.Ordinal))
            {
                value = set.Value;
            }
            else if (earlier.FirstToken < context.Script.Tokens.Length && context.Script.Tokens[earlier.FirstToken].Kind == TokenKind.ConditionalComment)
            {
                value = ConditionalSetting(context.Source.ToString(context.Script.Tokens[earlier.FirstToken].Span), "FOREIGN_KEY_CHECKS") ?? value;
            }
        }

        return MySqlOnlineDdl.IsOff(value);
    }

    /// <summary>The value assigned to a variable inside a conditional comment's SET (not `@OLD_X` or `@@X`).</summary>
    private static string? ConditionalSetting(string text, string name)
    {
        var at = 0;
        string? value = null;
        while ((at = text.IndexOf(name, at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var before = at == 0 ? ' ' : text[at - 1];
            at += name.Length;
            if (char.IsLetterOrDigit(before) || before is '_' or '@')
            {
                continue;
            }

            var i = at;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length || text[i] != '=')
            {
                continue;
            }

            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '@'))
            {
                i++;
            }

            value = text[start..i];
        }

        return value;
    }

    /// <summary>CREATE INDEX … ALGORITHM [=] x LOCK [=] y (MySQL index options), upper-cased.</summary>
    private static (string? Algorithm, string? Lock) IndexOptions(CreateIndexStatement index, RuleContext context)
    {
        string? algorithm = null;
        string? lockMode = null;
        var tokens = context.Script.Tokens;
        for (var i = index.FirstToken; i < index.EndToken; i++)
        {
            if (tokens[i].Kind != TokenKind.Word)
            {
                continue;
            }

            var word = context.Source.ToString(tokens[i].Span).ToUpperInvariant();
            if (word is not ("ALGORITHM" or "LOCK"))
            {
                continue;
            }

            var j = i + 1;
            while (j < index.EndToken && (tokens[j].IsTrivia || (tokens[j].Kind == TokenKind.Operator && context.Source.Slice(tokens[j].Span).SequenceEqual("="))))
            {
                j++;
            }

            if (j < index.EndToken && tokens[j].Kind == TokenKind.Word)
            {
                var value = context.Source.ToString(tokens[j].Span).ToUpperInvariant();
                if (word == "ALGORITHM")
                {
                    algorithm = value;
                }
                else
                {
                    lockMode = value;
                }
            }
        }

        return (algorithm, lockMode);
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
