using Stepwise.Analysis.Configuration;
using Stepwise.Analysis.Reporting;
using Stepwise.Analysis.Rules;
using Stepwise.Analysis.Schema;
using Stepwise.Sql;
using Stepwise.Sql.Lexing;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis;

/// <summary>One SQL source to lint, in apply order. A down migration follows its up.</summary>
/// <param name="Source">The file's text and path.</param>
public sealed record LintInput(SourceText Source)
{
    /// <summary>A down (undo) migration: linted on a copy of the schema, so its changes do not carry over, and
    /// destructive rules stay silent.</summary>
    public bool IsDown { get; init; }

    /// <summary>The layout runs this file outside a transaction (dbmate transaction:false), as the
    /// <c>-- stepwise:no-transaction</c> directive does.</summary>
    public bool NoTransaction { get; init; }

    /// <summary>The layout's statement-breakpoint comment (Drizzle's "--> statement-breakpoint"), or null.</summary>
    public string? BreakpointComment { get; init; }

    /// <summary>Set when the file could not be read as SQL text (not UTF-8, binary): reported as syntax-error.</summary>
    public string? ReadError { get; init; }

    /// <summary>The migration's version, normalised (leading zeros and trailing ".0" segments dropped), when
    /// its name carries one: what `[[ignore]]` entries of stepwise.toml match with <c>version =</c>.</summary>
    public string? Version { get; init; }

    /// <summary>False for history only: the file is replayed into the schema but its findings are not
    /// reported (`lint --changed-since`, `--only`: a pull request is judged on what it adds).</summary>
    public bool Reported { get; init; } = true;

    /// <summary>The text came through a pipe: one with no SQL statement at all is reported, since the
    /// generator that should have written it probably failed.</summary>
    public bool FromStandardInput { get; init; }
}

/// <summary>Lints migrations in order, replaying each into the schema model so later files are judged with
/// what earlier ones created.</summary>
public static class Linter
{
    /// <summary>The rule name of findings about SQL that could not be read.</summary>
    public const string SyntaxErrorRule = "syntax-error";

    /// <summary>The rule name of findings about suppressions that match nothing.</summary>
    public const string UnusedSuppressionRule = "unused-suppression";

    /// <summary>The rule name of findings about <c>-- stepwise:backfill</c> files the runner cannot run.</summary>
    public const string InvalidBackfillRule = "invalid-backfill";

    /// <summary>The rule name of findings about <c>-- stepwise:expand-contract</c> files the plan cannot run.</summary>
    public const string InvalidExpandContractRule = "invalid-expand-contract";

    /// <summary>Lints the inputs in order. Rules that do not apply to the dialect, or that the options turn off,
    /// do not run.</summary>
    /// <param name="inputs">The migrations in apply order (history first; see <see cref="LintInput.Reported"/>).</param>
    /// <param name="options">Dialect, target versions, severities and file suppressions.</param>
    /// <param name="rules">The rules to run; null for <see cref="RuleCatalog.All"/>.</param>
    /// <returns>The findings in report order, with the number of inputs.</returns>
    public static LintReport Lint(IReadOnlyList<LintInput> inputs, LintOptions options, IReadOnlyList<Rule>? rules = null)
    {
        rules ??= RuleCatalog.All;
        var active = new List<(Rule Rule, Severity Severity)>();
        foreach (var rule in rules)
        {
            if (!rule.Descriptor.AppliesTo(options.Dialect))
            {
                continue;
            }

            var severity = options.RuleSeverities.TryGetValue(rule.Descriptor.Name, out var overridden) ? overridden : rule.Descriptor.DefaultSeverity;
            if (severity is { } s)
            {
                active.Add((rule, s));
            }
        }

        var findings = new List<Finding>();
        var schema = new SchemaModel();
        var ignores = new IgnoreUse();
        foreach (var input in inputs)
        {
            if (input.ReadError is not null)
            {
                findings.Add(new Finding(SyntaxErrorRule, Severity.Error, input.Source, new TextSpan(0, 0), input.ReadError, "Save the migration as UTF-8 text."));
                continue;
            }

            var fileSchema = input.IsDown ? schema.Layer() : schema;
            LintFile(input, options, active, fileSchema, findings, ignores);
        }

        // an [[ignore]] entry is stale when the file it names was checked and nothing needed it
        foreach (var ignore in options.FileSuppressions)
        {
            if (ignores.Matched.Contains(ignore) && !ignores.Used.Contains(ignore))
            {
                findings.Add(ignore.Unused());
            }
        }

        return new LintReport(inputs.Count, findings);
    }

    private sealed class IgnoreUse
    {
        public HashSet<FileSuppression> Matched { get; } = new(ReferenceEqualityComparer.Instance);

        public HashSet<FileSuppression> Used { get; } = new(ReferenceEqualityComparer.Instance);
    }

    private static void LintFile(LintInput input, LintOptions options, List<(Rule Rule, Severity Severity)> active, SchemaModel schema, List<Finding> findings, IgnoreUse ignoreUse)
    {
        var split = input.BreakpointComment is null ? null : new SplitOptions { BreakpointComment = input.BreakpointComment };
        var chatter = Chatter.Find(input.Source.Text);
        var source = chatter.Count == 0 ? input.Source : new SourceText(Chatter.Blank(input.Source.Text, chatter), input.Source.Path);
        var script = ParsedScript.Parse(source, options.Dialect, split);
        if (!input.Reported)
        {
            // history only: the schema must still see what the file did
            Replay(script, schema, input.Source.Path);
            return;
        }

        var fileFindings = new List<Finding>();
        if (chatter.Count > 0)
        {
            var (start, end) = chatter[0];
            var more = chatter.Count == 1 ? string.Empty : $" and {chatter.Count - 1} more line{(chatter.Count == 2 ? string.Empty : "s")} before the first statement";
            fileFindings.Add(new Finding(SyntaxErrorRule, Severity.Warning, input.Source, TextSpan.FromBounds(start, end),
                $"'{input.Source.Text[start..end].Trim()}'{more} {(chatter.Count == 1 ? "is" : "are")} not SQL (tool output?): skipped, so it does not hide the statement after it",
                "Keep only SQL in a migration; when piping a generator's output, send its log to stderr or drop it (e.g. `2>/dev/null`, `--quiet`)."));
        }

        if (script.Statements.Count == 0 && input.FromStandardInput)
        {
            fileFindings.Add(chatter.Count > 0
                ? new Finding(SyntaxErrorRule, Severity.Error, input.Source, new TextSpan(0, 0), "standard input holds no SQL statement, only text that is not SQL: the generator piped in probably failed",
                    "Check the command before the pipe; `stepwise lint -` reads the SQL it prints.")
                : new Finding(SyntaxErrorRule, Severity.Warning, input.Source, new TextSpan(0, 0), "standard input holds no SQL statement (only comments): nothing was checked",
                    "Fine for an empty migration; otherwise check the command before the pipe."));
        }
        foreach (var issue in script.Issues)
        {
            fileFindings.Add(new Finding(SyntaxErrorRule, issue.IsError ? Severity.Error : Severity.Warning, input.Source, issue.Span, issue.Message,
                issue.IsError ? "Fix the SQL so the statement boundaries are clear; nothing after this point was checked reliably." : "Migrations run through a driver, not psql: keep only SQL in the file."));
        }

        if (BackfillDirective.IsPresent(input.Source.Text))
        {
            // not suppressible: `up` cannot run such a file
            var backfill = BackfillDirective.Read(script, out var problem);
            var schemaProblem = backfill is null ? null : BackfillDirective.SchemaProblem(backfill, schema, options.Dialect);
            if (problem is not null || schemaProblem is not null)
            {
                fileFindings.Add(new Finding(InvalidBackfillRule, Severity.Error, input.Source, problem?.Span ?? backfill!.Update.Span, problem?.Message ?? schemaProblem!,
                    $"A backfill file is the line `{BackfillDirective.Usage}` and one UPDATE table SET … [WHERE …]; see `stepwise explain {InvalidBackfillRule}`."));
            }
        }

        // not suppressible either: the plan cannot run what is reported here
        foreach (var (span, message) in ExpandContractDirective.Problems(script, options.Dialect))
        {
            fileFindings.Add(new Finding(InvalidExpandContractRule, Severity.Error, input.Source, span, message,
                $"An expand/contract file is the line `{ExpandContractDirective.Prefix}` and the schema change as plain SQL; see `stepwise explain {InvalidExpandContractRule}`."));
        }

        var expandContract = ExpandContractDirective.IsPresent(input.Source.Text);
        var problems = new List<(TextSpan Span, string Message)>();
        var suppressions = Suppressions.Read(script, name => RuleCatalog.Find(name) is not null, problems);
        var ignores = options.FileSuppressions.Count == 0 ? [] : options.FileSuppressions.Where(i => i.Matches(input)).ToList();
        ignoreUse.Matched.UnionWith(ignores);
        void Report(Finding finding)
        {
            if (expandContract && ExpandContractDirective.MadeSafe(finding.Rule, StatementAt(script, finding.Span.Start)))
            {
                return; // the plan runs it in its safe form
            }

            foreach (var ignore in ignores)
            {
                if (ignore.Covers(finding.Rule))
                {
                    ignoreUse.Used.Add(ignore);
                    return;
                }
            }

            var owner = StatementAt(script, finding.Span.Start);
            foreach (var s in suppressions)
            {
                if (!s.Rules.Contains(finding.Rule))
                {
                    continue;
                }

                if (s.WholeFile || (owner is not null && s.StatementToken == owner.FirstToken))
                {
                    s.Used = true;
                    return;
                }
            }

            fileFindings.Add(finding);
        }

        var noTransaction = input.NoTransaction || Suppressions.HasNoTransactionDirective(script);
        var context = new RuleContext(script, options, input.IsDown, noTransaction, Report) { Schema = schema };
        var path = input.Source.Path;

        void Visit(Statement statement)
        {
            context.CurrentStatement = statement;
            foreach (var (rule, severity) in active)
            {
                if (input.IsDown && rule.Descriptor.Category == RuleCategory.Destructive)
                {
                    continue;
                }

                context.CurrentRule = rule;
                context.CurrentSeverity = severity;
                rule.Check(statement, context);
            }

            context.CurrentRule = null;
            context.CurrentStatement = null;
            context.Statements.Add(statement);
            switch (statement)
            {
                case TransactionStatement { Operation: TransactionOperation.Begin } when statement.Context is null:
                    context.InExplicitTransaction = true;
                    break;
                case TransactionStatement { Operation: TransactionOperation.Commit or TransactionOperation.Rollback } when statement.Context is null:
                    context.InExplicitTransaction = false;
                    break;
                case SetStatement set:
                    context.Settings[set.Name] = set.Value;
                    break;
                // CREATE TABLE IF NOT EXISTS of a table from history creates nothing: it stays live
                case CreateTableStatement create when !create.Temporary && !(create.IfNotExists && context.Schema.Tables.ContainsKey(create.Table.Key)):
                    context.MarkCreated(create.Table.Key);
                    break;
                case CreateViewStatement view when !view.Temporary && !((view.OrReplace || view.IfNotExists) && context.Schema.Tables.ContainsKey(view.Name.Key)):
                    context.MarkCreated(view.Name.Key);
                    break;
                case AlterTableStatement alter:
                    foreach (var rename in alter.Actions.OfType<RenameTableAction>())
                    {
                        context.MarkRenamed(alter.Table.Key, rename.NewName.Key);
                    }

                    break;
                case RenameTableStatement renames:
                    foreach (var (from, to) in renames.Renames)
                    {
                        context.MarkRenamed(from.Key, to.Key);
                    }

                    break;
            }

            SchemaReplayer.Apply(context.Schema, statement, path);
        }

        foreach (var statement in script.Statements)
        {
            Visit(statement);
            if (statement is DoStatement { Body: { } body })
            {
                foreach (var inner in body.Statements)
                {
                    Visit(inner);
                }
            }
        }

        foreach (var (rule, severity) in active)
        {
            if (input.IsDown && rule.Descriptor.Category == RuleCategory.Destructive)
            {
                continue;
            }

            context.CurrentRule = rule;
            context.CurrentSeverity = severity;
            rule.CheckFile(context);
        }

        context.CurrentRule = null;
        foreach (var (span, message) in problems)
        {
            fileFindings.Add(new Finding(UnusedSuppressionRule, Severity.Warning, input.Source, span, message, "Name a rule from `stepwise explain --list`."));
        }

        foreach (var s in suppressions.Where(s => !s.Used))
        {
            fileFindings.Add(new Finding(UnusedSuppressionRule, Severity.Warning, input.Source, s.Span,
                $"suppression of {string.Join(", ", s.Rules)} matches no finding", "Remove the suppression, or move it to the line just before the statement it is for."));
        }

        fileFindings.Sort((a, b) => a.Span.Start.CompareTo(b.Span.Start));
        findings.AddRange(fileFindings);
    }

    private static void Replay(ParsedScript script, SchemaModel schema, string path)
    {
        foreach (var statement in script.AllStatements())
        {
            if (statement.Context is null or { Executes: true })
            {
                SchemaReplayer.Apply(schema, statement, path);
            }
        }
    }

    /// <summary>The top-level statement whose span contains the position (statements are ordered).</summary>
    private static Statement? StatementAt(ParsedScript script, int position)
    {
        var list = script.Statements;
        int lo = 0, hi = list.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            var span = list[mid].Span;
            if (position < span.Start)
            {
                hi = mid - 1;
            }
            else if (position >= span.End && !(span.Length == 0 && position == span.Start))
            {
                lo = mid + 1;
            }
            else
            {
                return list[mid];
            }
        }

        return null;
    }
}
