using Stepwise.Analysis.Reporting;
using Stepwise.Analysis.Schema;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

/// <summary>Why a rule exists: locking rules still apply to down migrations, destructive ones do not.</summary>
public enum RuleCategory
{
    Locking,
    Destructive,
    Data,
    Correctness,
}

/// <summary>A rule's identity and documentation summary. The name is stable (users write it in
/// suppressions and configs); the help is the safe alternative printed with every finding.</summary>
public sealed record RuleDescriptor(
    string Name,
    string Title,
    Severity DefaultSeverity,
    RuleCategory Category,
    string Help,
    params SqlDialect[] Dialects)
{
    public bool AppliesTo(SqlDialect dialect) => Dialects.Length == 0 || Dialects.Contains(dialect);

    public RuleInfo ToInfo() => new(Name, Title, DefaultSeverity, Help, $"https://github.com/stepwise-db/stepwise/blob/main/docs/rules/{Name}.md");
}

/// <summary>One lint rule. Rules see each statement with the schema as it stands just before it, and
/// may look at the whole file at the end.</summary>
public abstract class Rule
{
    public abstract RuleDescriptor Descriptor { get; }

    public virtual void Check(Statement statement, RuleContext context)
    {
    }

    /// <summary>Called once per file after every statement was checked.</summary>
    public virtual void CheckFile(RuleContext context)
    {
    }
}

/// <summary>What a rule knows while it checks one statement of one file.</summary>
public sealed class RuleContext
{
    private readonly Action<Finding> _report;
    private readonly HashSet<string> _createdInFile;

    internal RuleContext(ParsedScript script, LintOptions options, bool isDown, bool noTransaction, Action<Finding> report)
    {
        Script = script;
        Options = options;
        IsDown = isDown;
        NoTransaction = noTransaction;
        _report = report;
        _createdInFile = new HashSet<string>(StringComparer.Ordinal);
        Schema = new SchemaModel();
    }

    public ParsedScript Script { get; }

    public SourceText Source => Script.Source;

    public LintOptions Options { get; }

    public SqlDialect Dialect => Script.Dialect;

    public int PgVersion => Options.PgVersion;

    /// <summary>True for a down (undo) migration: destructive rules stay silent there.</summary>
    public bool IsDown { get; }

    /// <summary>The file opted out of a transaction (`-- stepwise:no-transaction`, dbmate transaction:false).</summary>
    public bool NoTransaction { get; }

    /// <summary>The schema just before the statement being checked.</summary>
    public SchemaModel Schema { get; internal set; }

    /// <summary>An explicit BEGIN/START TRANSACTION is open at this statement.</summary>
    public bool InExplicitTransaction { get; internal set; }

    /// <summary>Settings from SET statements seen so far in this file (name → value, lower-cased names).</summary>
    public Dictionary<string, string> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Statements checked so far in this file (top level and executed body statements).</summary>
    public List<Statement> Statements { get; } = [];

    internal Rule? CurrentRule { get; set; }

    internal Severity CurrentSeverity { get; set; }

    /// <summary>A table not created earlier in this same file is live: earlier migrations are deployed.</summary>
    public bool IsExistingTable(ObjectName table) => !_createdInFile.Contains(table.Key);

    internal void MarkCreated(string key) => _createdInFile.Add(key);

    internal void MarkRenamed(string from, string to)
    {
        if (_createdInFile.Remove(from))
        {
            _createdInFile.Add(to);
        }
    }

    /// <summary>Reports a finding; <paramref name="help"/> replaces the rule's general advice where the safe path
    /// differs (a dialect's own way).</summary>
    public void Report(TextSpan span, string message, Fix? fix = null, string? help = null)
    {
        var rule = CurrentRule ?? throw new InvalidOperationException("Report called outside a rule check.");
        _report(new Finding(rule.Descriptor.Name, CurrentSeverity, Source, span, message, help ?? rule.Descriptor.Help, fix));
    }

    public void Report(Statement statement, string message, Fix? fix = null) => Report(statement.Span, message, fix);
}
