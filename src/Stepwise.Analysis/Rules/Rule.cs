using Stepwise.Analysis.Reporting;
using Stepwise.Analysis.Schema;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

/// <summary>Why a rule exists: locking rules still apply to down migrations, destructive ones do not.</summary>
public enum RuleCategory
{
    /// <summary>Takes locks (or rewrites tables) that block reads or writes on a live table.</summary>
    Locking,

    /// <summary>Drops or renames what running code may still use; silent in down migrations, which undo on purpose.</summary>
    Destructive,

    /// <summary>Changes rows in ways that hold locks too long or cannot be retried safely.</summary>
    Data,

    /// <summary>Fails at run time or does something other than it appears to.</summary>
    Correctness,
}

/// <summary>A rule's identity and documentation summary. The name is stable (users write it in
/// suppressions and configs); the help is the safe alternative printed with every finding.</summary>
/// <param name="Name">The stable kebab-case rule name.</param>
/// <param name="Title">A one-line description.</param>
/// <param name="DefaultSeverity">The severity unless the configuration overrides it.</param>
/// <param name="Category">Why the rule exists (decides whether it applies to down migrations).</param>
/// <param name="Help">The safe alternative, printed with every finding.</param>
/// <param name="Dialects">The dialects the rule applies to; none given means all.</param>
public sealed record RuleDescriptor(
    string Name,
    string Title,
    Severity DefaultSeverity,
    RuleCategory Category,
    string Help,
    params SqlDialect[] Dialects)
{
    /// <summary>True when the rule checks migrations of <paramref name="dialect"/>.</summary>
    public bool AppliesTo(SqlDialect dialect) => Dialects.Length == 0 || Dialects.Contains(dialect);

    /// <summary>What the report formatters need of the rule, with the link to its documentation page.</summary>
    public RuleInfo ToInfo() => new(Name, Title, DefaultSeverity, Help, $"https://github.com/stepwise-db/stepwise/blob/main/docs/rules/{Name}.md");
}

/// <summary>One lint rule. Rules see each statement with the schema as it stands just before it, and
/// may look at the whole file at the end.</summary>
public abstract class Rule
{
    /// <summary>The rule's name, title, default severity, category, help and dialects.</summary>
    public abstract RuleDescriptor Descriptor { get; }

    /// <summary>Called for each statement in order (top level, then those inside DO blocks and function
    /// bodies); reports findings through <paramref name="context"/>.</summary>
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

    /// <summary>The parsed file being checked.</summary>
    public ParsedScript Script { get; }

    /// <summary>The file's text and path.</summary>
    public SourceText Source => Script.Source;

    /// <summary>The options of this lint run (dialect, target versions, severities).</summary>
    public LintOptions Options { get; }

    /// <summary>The dialect the file is read as.</summary>
    public SqlDialect Dialect => Script.Dialect;

    /// <summary>The target PostgreSQL major version.</summary>
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

    /// <summary>The statement being checked; null in <see cref="Rule.CheckFile"/>.</summary>
    internal Statement? CurrentStatement { get; set; }

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
        // the statement the finding is on: the one being checked, else (file checks) the one holding the span
        var statement = CurrentStatement ?? Statements.LastOrDefault(s => s.Span.Start <= span.Start && span.End <= s.Span.End);
        _report(new Finding(rule.Descriptor.Name, CurrentSeverity, Source, span, message, help ?? rule.Descriptor.Help, fix)
        {
            Table = FindingTables.Of(statement, Schema),
        });
    }

    /// <summary>Reports a finding on the whole statement, with the rule's general advice.</summary>
    public void Report(Statement statement, string message, Fix? fix = null) => Report(statement.Span, message, fix);
}
