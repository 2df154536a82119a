using Stepwise.Analysis.Reporting;

namespace Stepwise.Analysis.Rules;

/// <summary>Every rule Stepwise has. A test checks that each Rule type is listed here exactly once, and
/// that each has a folder with its doc and cases.</summary>
public static class RuleCatalog
{
    /// <summary>One instance of every rule, in the order they run.</summary>
    public static IReadOnlyList<Rule> All { get; } =
    [
        new AddingRequiredColumnRule(),
        new AddingColumnVolatileDefaultRule(),
        new NonConcurrentIndexRule(),
        new NonConcurrentIndexDropRule(),
        new NonConcurrentReindexRule(),
        new ConcurrentlyInTransactionRule(),
        new RenameColumnRule(),
        new RenameTableRule(),
        new DropColumnRule(),
        new DropTableRule(),
        new ChangingColumnTypeRule(),
        new SetNotNullRule(),
        new ConstraintMissingNotValidRule(),
        new AddingUniqueConstraintRule(),
        new UnbatchedDataChangeRule(),
        new MixedSchemaAndDataRule(),
        new TableRewriteCommandRule(),
        new LockTableRule(),
        new EnumValueInTransactionRule(),
        new ForeignKeyWithoutIndexRule(),
        new MysqlUnsafeAlgorithmRule(),
        new MysqlNonAtomicDdlRule(),
        new RenameEnumValueRule(),
        new TriggerOnExistingTableRule(),
        new ForeignKeysDisabledRule(),
        new NonConcurrentRefreshRule(),
        new TimestampTimeZoneChangeRule(),
    ];

    /// <summary>Findings that come from the front end rather than a rule.</summary>
    public static IReadOnlyList<RuleInfo> MetaRules { get; } =
    [
        new(Linter.SyntaxErrorRule, "The SQL could not be read", Severity.Error, "Fix the SQL so the statement boundaries are clear.", null),
        new(Linter.InvalidBackfillRule, "A -- stepwise:backfill file that `up` cannot run as a backfill", Severity.Error, "One UPDATE table SET … [WHERE …] under the directive line; options name=, batch-size=, batch-time=, sleep=, nice-ratio=, lock-timeout=.", null),
        new(Linter.InvalidExpandContractRule, "A -- stepwise:expand-contract file whose plan cannot run", Severity.Error, "The directive as the first line, then the schema change as plain SQL: no BEGIN/COMMIT, no data changes, no unknown -- stepwise: lines.", null),
        new(Linter.UnusedSuppressionRule, "A suppression that matches nothing, or names no known rule", Severity.Warning, "Remove the suppression or name a rule from `stepwise explain --list`.", null),
    ];

    /// <summary>The rule of that exact name, or null (front-end findings such as syntax-error are not rules).</summary>
    public static Rule? Find(string name) => All.FirstOrDefault(r => string.Equals(r.Descriptor.Name, name, StringComparison.Ordinal));

    /// <summary>Every rule's report information, followed by the <see cref="MetaRules"/>.</summary>
    public static IReadOnlyList<RuleInfo> Infos() => [.. All.Select(r => r.Descriptor.ToInfo()), .. MetaRules];

    /// <summary>The rule's documentation (its folder's README.md, embedded), or null.</summary>
    public static string? Doc(string name)
    {
        using var stream = typeof(RuleCatalog).Assembly.GetManifestResourceStream("rule-doc:" + name + "/README.md");
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
