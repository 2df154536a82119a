using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class MysqlNonAtomicDdlRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "mysql-non-atomic-ddl",
        "A MySQL/MariaDB migration with several DDL statements",
        Severity.Warning,
        RuleCategory.Correctness,
        "Stepwise records each DDL statement as it commits and, after a fix, `stepwise repair` resumes at the failed statement; other tools re-run the whole file, so if one also applies this folder keep one DDL statement per migration or make the earlier ones idempotent (IF [NOT] EXISTS).", SqlDialect.MySql);

    public override RuleDescriptor Descriptor => Info;

    public override void CheckFile(RuleContext context)
    {
        var ddl = context.Statements.Where(s => s.Context is null && IsDdl(s)).ToList();
        if (ddl.Count < 2)
        {
            return;
        }

        // a re-run finishes the job when everything before the last DDL is idempotent (IF [NOT] EXISTS)
        if (ddl.Take(ddl.Count - 1).All(s => IsIdempotent(s, context)))
        {
            return;
        }

        var server = context.Options.MySql.MariaDb ? "MariaDB" : "MySQL";
        var first = ddl[0];
        var line = context.Source.GetLinePosition(first.Span.Start).Line;
        context.Report(ddl[1],
            $"This migration has {ddl.Count} DDL statements (the first at line {line}): {server} commits each one on its own, so if a later one fails the earlier ones stay applied and the migration is left half-done until it is resumed.");
    }

    /// <summary>Statements that commit implicitly. CREATE/DROP TEMPORARY TABLE do not; a `/*!…*/`
    /// conditional comment is not read as a statement.</summary>
    private static bool IsDdl(Statement statement) => statement switch
    {
        CreateTableStatement create => !create.Temporary,
        DropTableStatement drop => !drop.Temporary,
        AlterTableStatement or RenameTableStatement or CreateIndexStatement or DropIndexStatement or TruncateStatement or CreateFunctionStatement or CreateTriggerStatement or CreateViewStatement => true,
        OpaqueStatement opaque => opaque.Keywords.StartsWith("CREATE ", StringComparison.Ordinal) || opaque.Keywords.StartsWith("ALTER ", StringComparison.Ordinal) ||
            opaque.Keywords.StartsWith("DROP ", StringComparison.Ordinal) || opaque.Keywords.StartsWith("RENAME ", StringComparison.Ordinal),
        _ => false,
    };

    private static bool IsIdempotent(Statement statement, RuleContext context) => statement switch
    {
        CreateTableStatement create => create.IfNotExists,
        DropTableStatement drop => drop.IfExists,
        CreateIndexStatement index => index.IfNotExists,
        DropIndexStatement drop => drop.IfExists,
        AlterTableStatement alter => alter.Actions.Count > 0 && alter.Actions.All(a => a switch
        {
            AddColumnAction add => add.IfNotExists,
            DropColumnAction drop => drop.IfExists,
            DropConstraintAction drop => drop.IfExists,
            _ => false,
        }),
        CreateViewStatement view => view.OrReplace || view.IfNotExists,
        OpaqueStatement opaque => opaque.Keywords.StartsWith("CREATE OR REPLACE", StringComparison.Ordinal) || HasIfExists(opaque, context),
        _ => false,
    };

    /// <summary>`CREATE VIEW IF NOT EXISTS …`, `DROP VIEW IF EXISTS …`: IF right after the object kind.</summary>
    private static bool HasIfExists(OpaqueStatement statement, RuleContext context)
    {
        var tokens = context.Script.Tokens;
        var words = 0;
        for (var i = statement.FirstToken; i < statement.EndToken && words < 4; i++)
        {
            if (tokens[i].IsTrivia)
            {
                continue;
            }

            words++;
            if (tokens[i].Kind == TokenKind.Word && context.Source.Slice(tokens[i].Span).Equals("IF", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
