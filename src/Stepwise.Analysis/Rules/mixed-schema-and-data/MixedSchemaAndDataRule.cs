using System.Runtime.CompilerServices;
using Stepwise.Analysis.Facts;
using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class MixedSchemaAndDataRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "mixed-schema-and-data",
        "A migration that changes both the schema and rows of existing tables",
        Severity.Warning,
        RuleCategory.Data,
        "Split it: one migration for the schema change, another for the data change.");

    // rule instances are shared; what one file has shown so far lives with that file's context
    private readonly ConditionalWeakTable<RuleContext, FileState> _files = new();

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        if (statement.Context is { Executes: false })
        {
            return;
        }

        var state = _files.GetOrCreateValue(context);
        if (state.Schema is null && DescribeSchemaChange(statement) is { } schema)
        {
            state.Schema = (statement, schema);
        }

        if (state.Data is null && DescribeDataChange(statement, context) is { } data)
        {
            state.Data = (statement, data);
        }
    }

    public override void CheckFile(RuleContext context)
    {
        if (!_files.TryGetValue(context, out var state))
        {
            return;
        }

        _files.Remove(context);
        if (state.Schema is not { } schema || state.Data is not { } data)
        {
            return;
        }

        var line = context.Source.GetLinePosition(schema.Statement.Span.Start).Line;
        var schemaFirst = schema.Statement.Span.Start < data.Statement.Span.Start;
        var consequence = context.Dialect switch
        {
            SqlDialect.MySql => "MySQL commits each DDL statement on its own, so if the data change fails the schema change stays applied and the migration is half done",
            _ when context.NoTransaction => "they cannot be retried or rolled back separately",
            SqlDialect.PostgreSql when schemaFirst => "in one transaction the locks the schema change took are held until the data change commits, so queries on that table wait for the whole data change; and neither part can be retried or rolled back on its own",
            _ => "in one transaction the locks either part takes are held until the slower one finishes, and neither part can be retried or rolled back on its own",
        };
        context.Report(data.Statement, $"This migration changes the schema ({schema.What}, line {line}) and rows of an existing table ({data.What}): {consequence}.");
    }

    /// <summary>DDL that changes the schema; temporary tables are scratch space of a data change.</summary>
    private static string? DescribeSchemaChange(Statement statement) => statement switch
    {
        CreateTableStatement { Temporary: false } create => $"CREATE TABLE {create.Table}",
        AlterTableStatement alter => $"ALTER TABLE {alter.Table}",
        DropTableStatement { Temporary: false } drop => $"DROP TABLE {string.Join(", ", drop.Tables)}",
        RenameTableStatement => "RENAME TABLE",
        CreateIndexStatement index => $"CREATE INDEX on {index.Table}",
        DropIndexStatement => "DROP INDEX",
        CreateTypeStatement type => $"CREATE TYPE {type.Name}",
        AlterTypeStatement type => $"ALTER TYPE {type.Name}",
        CreateFunctionStatement function => $"CREATE {(function.IsProcedure ? "PROCEDURE" : "FUNCTION")} {function.Name}",
        CreateTriggerStatement => "CREATE TRIGGER",
        CreateViewStatement view => view.Materialized ? $"CREATE MATERIALIZED VIEW {view.Name}" : $"CREATE VIEW {view.Name}",
        OpaqueStatement opaque when opaque.Keywords.StartsWith("CREATE ", StringComparison.Ordinal) || opaque.Keywords.StartsWith("ALTER ", StringComparison.Ordinal) ||
            opaque.Keywords.StartsWith("DROP ", StringComparison.Ordinal) => opaque.Keywords,
        _ => null,
    };

    /// <summary>A change to rows the application already has: UPDATE, DELETE, TRUNCATE or INSERT … SELECT on
    /// an existing table. INSERT … VALUES adds rows the migration itself defines (reference data): not counted.</summary>
    private static string? DescribeDataChange(Statement statement, RuleContext context) => statement switch
    {
        UpdateStatement update when DataChanges.IsLiveTable(context, update.Table) => $"UPDATE {update.Table}" + (statement.Context is null ? string.Empty : " in a DO block"),
        DeleteStatement delete when DataChanges.IsLiveTable(context, delete.Table) => $"DELETE FROM {delete.Table}" + (statement.Context is null ? string.Empty : " in a DO block"),
        InsertStatement { FromSelect: true } insert when DataChanges.IsLiveTable(context, insert.Table) => $"INSERT INTO {insert.Table} … SELECT",
        TruncateStatement truncate when truncate.Tables.Any(t => DataChanges.IsLiveTable(context, t)) => $"TRUNCATE {string.Join(", ", truncate.Tables)}",
        _ => null,
    };

    private sealed class FileState
    {
        public (Statement Statement, string What)? Schema { get; set; }

        public (Statement Statement, string What)? Data { get; set; }
    }
}
