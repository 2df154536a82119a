namespace Stepwise.Sql.Syntax;

/// <summary>A possibly schema-qualified name, normalised for comparison (PostgreSQL folds unquoted
/// names to lower case; MySQL and SQLite compare case-insensitively, so they are lower-cased too).</summary>
public sealed record ObjectName(string? Schema, string Name, TextSpan Span)
{
    /// <summary>The key used in schema maps: the name, qualified only outside the default schema.</summary>
    public string Key => Schema is null || string.Equals(Schema, "public", StringComparison.Ordinal) ? Name : Schema + "." + Name;

    public override string ToString() => Schema is null ? Name : Schema + "." + Name;
}

/// <summary>A run of tokens kept as written (a default, a CHECK body, a WHERE clause).</summary>
public sealed class Expression
{
    public Expression(SourceText source, IReadOnlyList<Token> tokens)
    {
        Source = source;
        Tokens = tokens;
        Span = tokens.Count == 0 ? default : TextSpan.FromBounds(tokens[0].Start, tokens[^1].End);
    }

    public SourceText Source { get; }

    /// <summary>The significant tokens (no whitespace or comments).</summary>
    public IReadOnlyList<Token> Tokens { get; }

    public TextSpan Span { get; }

    public string Text => Source.ToString(Span);

    public string TokenText(int index) => Source.ToString(Tokens[index].Span);

    public bool IsWord(int index, string word) =>
        index >= 0 && index < Tokens.Count && Tokens[index].Kind == TokenKind.Word &&
        Source.Slice(Tokens[index].Span).Equals(word, StringComparison.OrdinalIgnoreCase);

    public bool ContainsWord(string word)
    {
        for (var i = 0; i < Tokens.Count; i++)
        {
            if (IsWord(i, word))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => Text;
}

/// <summary>A column type as written, with a normalised base name (int4 → integer, character varying →
/// varchar, timestamp with time zone → timestamptz …) and its modifiers.</summary>
public sealed record DataType(string Name, IReadOnlyList<string> Arguments, bool IsArray, TextSpan Span, string Text)
{
    public int? FirstArgument => Arguments.Count > 0 && int.TryParse(Arguments[0], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    public int? SecondArgument => Arguments.Count > 1 && int.TryParse(Arguments[1], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    public override string ToString() => Text;
}

public enum IdentityKind
{
    None,
    Always,
    ByDefault,
    AutoIncrement,
    Serial,
}

public sealed class ColumnDefinition
{
    public required string Name { get; init; }

    public required TextSpan NameSpan { get; init; }

    public TextSpan Span { get; init; }

    public DataType? Type { get; init; }

    public bool NotNull { get; set; }

    public bool ExplicitNull { get; set; }

    public Expression? Default { get; set; }

    public bool PrimaryKey { get; set; }

    public bool Unique { get; set; }

    public ForeignKeyReference? References { get; set; }

    public Expression? Check { get; set; }

    public IdentityKind Identity { get; set; }

    /// <summary>GENERATED ALWAYS AS (…) STORED (PostgreSQL) or … STORED (MySQL).</summary>
    public Expression? GeneratedStored { get; set; }

    public bool GeneratedVirtual { get; set; }

    /// <summary>MySQL FIRST / AFTER col placement.</summary>
    public string? Position { get; set; }
}

public sealed record ForeignKeyReference(ObjectName Table, IReadOnlyList<string> Columns);

public enum ConstraintKind
{
    PrimaryKey,
    Unique,
    ForeignKey,
    Check,
    Exclude,

    /// <summary>MySQL INDEX/KEY inside CREATE/ALTER TABLE.</summary>
    Index,

    /// <summary>MySQL FULLTEXT / SPATIAL index.</summary>
    FullText,
}

public sealed class TableConstraint
{
    public string? Name { get; init; }

    public required ConstraintKind Kind { get; init; }

    public TextSpan Span { get; init; }

    public IReadOnlyList<string> Columns { get; init; } = [];

    public ForeignKeyReference? References { get; init; }

    public Expression? Check { get; init; }

    public bool NotValid { get; init; }

    /// <summary>ADD CONSTRAINT … UNIQUE/PRIMARY KEY USING INDEX name.</summary>
    public string? UsingIndex { get; init; }
}

public enum StatementKind
{
    Opaque,
    CreateTable,
    AlterTable,
    DropTable,
    RenameTable,
    CreateIndex,
    DropIndex,
    Reindex,
    CreateType,
    AlterType,
    Update,
    Delete,
    Insert,
    Truncate,
    Do,
    CreateFunction,
    CreateTrigger,
    Transaction,
    Set,
    Vacuum,
    Cluster,
    LockTable,
    Call,
    CreateView,
    RefreshMaterializedView,
}

/// <summary>Where a statement sits when it is inside a procedural body.</summary>
/// <param name="Owner">DO (runs now) or CreateFunction (runs when called, not during the migration).</param>
/// <param name="LoopDepth">How many LOOP / WHILE / FOR loops enclose it.</param>
/// <param name="BodyCommits">The body contains COMMIT (a procedure or DO block committing per batch).</param>
public sealed record BodyContext(StatementKind Owner, int LoopDepth, bool BodyCommits)
{
    /// <summary>True when the statement runs as part of the migration (DO block), false for function bodies.</summary>
    public bool Executes => Owner == StatementKind.Do;
}

public abstract class Statement
{
    public TextSpan Span { get; internal set; }

    /// <summary>Index of the statement's first significant token in <see cref="ParsedScript.Tokens"/>
    /// (for statements inside a body: in <see cref="ProceduralBody.Tokens"/>).</summary>
    public int FirstToken { get; internal set; }

    public int EndToken { get; internal set; }

    /// <summary>First token after the previous statement's terminator: comments between the two
    /// (suppressions) live in [LeadingToken, FirstToken).</summary>
    public int LeadingToken { get; internal set; }

    public abstract StatementKind Kind { get; }

    /// <summary>Set for statements inside a DO block or function body.</summary>
    public BodyContext? Context { get; internal set; }

    /// <summary>The statement's leading keywords, upper-cased ("CREATE INDEX", "ALTER TABLE").</summary>
    public string Keywords { get; internal set; } = string.Empty;
}

public sealed class OpaqueStatement : Statement
{
    public override StatementKind Kind => StatementKind.Opaque;
}

public sealed class CreateTableStatement : Statement
{
    public override StatementKind Kind => StatementKind.CreateTable;

    public required ObjectName Table { get; init; }

    public bool IfNotExists { get; init; }

    public bool Temporary { get; init; }

    public IReadOnlyList<ColumnDefinition> Columns { get; init; } = [];

    public IReadOnlyList<TableConstraint> Constraints { get; init; } = [];

    /// <summary>CREATE TABLE … AS SELECT, LIKE or PARTITION OF: columns are not listed.</summary>
    public bool Derived { get; init; }
}

public sealed class AlterTableStatement : Statement
{
    public override StatementKind Kind => StatementKind.AlterTable;

    public required ObjectName Table { get; init; }

    public bool IfExists { get; init; }

    public IReadOnlyList<AlterTableAction> Actions { get; init; } = [];

    /// <summary>MySQL ALGORITHM= and LOCK= clauses, upper-cased, when given.</summary>
    public string? Algorithm { get; init; }

    public string? Lock { get; init; }
}

public abstract class AlterTableAction
{
    public required TextSpan Span { get; init; }
}

public sealed class AddColumnAction : AlterTableAction
{
    public required ColumnDefinition Column { get; init; }

    public bool IfNotExists { get; init; }
}

public sealed class DropColumnAction : AlterTableAction
{
    public required string Column { get; init; }

    public bool IfExists { get; init; }
}

/// <summary>PostgreSQL ALTER COLUMN … TYPE; MySQL MODIFY / CHANGE (Definition set, and for CHANGE a
/// NewName when the column is renamed too).</summary>
public sealed class AlterColumnTypeAction : AlterTableAction
{
    public required string Column { get; init; }

    public required DataType NewType { get; init; }

    public Expression? Using { get; init; }

    public ColumnDefinition? Definition { get; init; }

    public string? NewName { get; init; }
}

public sealed class SetNotNullAction : AlterTableAction
{
    public required string Column { get; init; }
}

public sealed class DropNotNullAction : AlterTableAction
{
    public required string Column { get; init; }
}

public sealed class SetDefaultAction : AlterTableAction
{
    public required string Column { get; init; }

    public required Expression Default { get; init; }
}

public sealed class DropDefaultAction : AlterTableAction
{
    public required string Column { get; init; }
}

public sealed class RenameColumnAction : AlterTableAction
{
    public required string Column { get; init; }

    public required string NewName { get; init; }
}

public sealed class RenameTableAction : AlterTableAction
{
    public required ObjectName NewName { get; init; }
}

public sealed class AddConstraintAction : AlterTableAction
{
    public required TableConstraint Constraint { get; init; }
}

public sealed class ValidateConstraintAction : AlterTableAction
{
    public required string Name { get; init; }
}

public sealed class DropConstraintAction : AlterTableAction
{
    public required string Name { get; init; }

    public bool IfExists { get; init; }

    /// <summary>MySQL DROP INDEX / DROP KEY / DROP PRIMARY KEY / DROP FOREIGN KEY.</summary>
    public ConstraintKind? MySqlKind { get; init; }
}

/// <summary>Anything else (SET TABLESPACE, OWNER TO, ATTACH PARTITION …), kept as its keywords.</summary>
public sealed class OtherAlterAction : AlterTableAction
{
    public required string Keywords { get; init; }
}

public sealed class DropTableStatement : Statement
{
    public override StatementKind Kind => StatementKind.DropTable;

    public required IReadOnlyList<ObjectName> Tables { get; init; }

    public bool IfExists { get; init; }

    /// <summary>MySQL DROP TEMPORARY TABLE: never touches a permanent table and does not commit.</summary>
    public bool Temporary { get; init; }
}

/// <summary>MySQL RENAME TABLE a TO b, c TO d.</summary>
public sealed class RenameTableStatement : Statement
{
    public override StatementKind Kind => StatementKind.RenameTable;

    public required IReadOnlyList<(ObjectName From, ObjectName To)> Renames { get; init; }
}

public sealed class CreateIndexStatement : Statement
{
    public override StatementKind Kind => StatementKind.CreateIndex;

    public ObjectName? Name { get; init; }

    public required ObjectName Table { get; init; }

    public bool Unique { get; init; }

    public bool Concurrently { get; init; }

    public bool IfNotExists { get; init; }

    /// <summary>FULLTEXT or SPATIAL (MySQL).</summary>
    public bool FullText { get; init; }

    /// <summary>Plain column names of the key, in order; an expression key is kept as its text.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    public string? Method { get; init; }

    public Expression? Where { get; init; }

    /// <summary>The INDEX keyword: CONCURRENTLY goes right after it.</summary>
    public TextSpan IndexKeyword { get; init; }
}

public sealed class DropIndexStatement : Statement
{
    public override StatementKind Kind => StatementKind.DropIndex;

    public required IReadOnlyList<ObjectName> Indexes { get; init; }

    public bool Concurrently { get; init; }

    public bool IfExists { get; init; }

    /// <summary>MySQL DROP INDEX i ON t.</summary>
    public ObjectName? Table { get; init; }

    public TextSpan IndexKeyword { get; init; }
}

public sealed class ReindexStatement : Statement
{
    public override StatementKind Kind => StatementKind.Reindex;

    /// <summary>INDEX, TABLE, SCHEMA, DATABASE or SYSTEM.</summary>
    public required string Target { get; init; }

    public ObjectName? Name { get; init; }

    public bool Concurrently { get; init; }

    /// <summary>The target keyword (INDEX/TABLE …): CONCURRENTLY goes right after it.</summary>
    public TextSpan TargetKeyword { get; init; }
}

public sealed class CreateTypeStatement : Statement
{
    public override StatementKind Kind => StatementKind.CreateType;

    public required ObjectName Name { get; init; }

    public IReadOnlyList<string> EnumValues { get; init; } = [];

    public bool IsEnum { get; init; }
}

public sealed class AlterTypeStatement : Statement
{
    public override StatementKind Kind => StatementKind.AlterType;

    public required ObjectName Name { get; init; }

    /// <summary>The value of ADD VALUE, when that is the action.</summary>
    public string? AddedValue { get; init; }

    /// <summary>RENAME TO: the type's new name.</summary>
    public ObjectName? NewName { get; init; }

    /// <summary>RENAME VALUE 'old' TO 'new'.</summary>
    public (string From, string To)? RenamedValue { get; init; }

    /// <summary>The span of the action after the type name (RENAME VALUE …), for findings.</summary>
    public TextSpan ActionSpan { get; init; }
}

/// <summary>CREATE [OR REPLACE] [MATERIALIZED] VIEW [IF NOT EXISTS] name … AS ….</summary>
public sealed class CreateViewStatement : Statement
{
    public override StatementKind Kind => StatementKind.CreateView;

    public required ObjectName Name { get; init; }

    public bool Materialized { get; init; }

    public bool OrReplace { get; init; }

    public bool IfNotExists { get; init; }

    public bool Temporary { get; init; }

    /// <summary>WITH NO DATA: a materialized view that is not populated until REFRESH.</summary>
    public bool WithNoData { get; init; }
}

/// <summary>PostgreSQL REFRESH MATERIALIZED VIEW [CONCURRENTLY] name [WITH [NO] DATA].</summary>
public sealed class RefreshMaterializedViewStatement : Statement
{
    public override StatementKind Kind => StatementKind.RefreshMaterializedView;

    public required ObjectName Name { get; init; }

    public bool Concurrently { get; init; }

    /// <summary>The VIEW keyword: CONCURRENTLY goes right after it.</summary>
    public TextSpan ViewKeyword { get; init; }
}

public sealed class UpdateStatement : Statement
{
    public override StatementKind Kind => StatementKind.Update;

    public required ObjectName Table { get; init; }

    public string? Alias { get; init; }

    public IReadOnlyList<string> SetColumns { get; init; } = [];

    public Expression? Set { get; init; }

    public Expression? Where { get; init; }

    /// <summary>MySQL UPDATE … LIMIT n.</summary>
    public bool HasLimit { get; init; }

    public bool HasFrom { get; init; }
}

public sealed class DeleteStatement : Statement
{
    public override StatementKind Kind => StatementKind.Delete;

    public required ObjectName Table { get; init; }

    public string? Alias { get; init; }

    public Expression? Where { get; init; }

    public bool HasLimit { get; init; }
}

public sealed class InsertStatement : Statement
{
    public override StatementKind Kind => StatementKind.Insert;

    public required ObjectName Table { get; init; }

    /// <summary>INSERT … SELECT (copies rows) rather than VALUES.</summary>
    public bool FromSelect { get; init; }
}

public sealed class TruncateStatement : Statement
{
    public override StatementKind Kind => StatementKind.Truncate;

    public required IReadOnlyList<ObjectName> Tables { get; init; }
}

/// <summary>The text inside a dollar-quoted (or quoted) procedural body, lexed and split on its own, with
/// spans that point into the enclosing source.</summary>
public sealed class ProceduralBody
{
    public required TextSpan Span { get; init; }

    public required IReadOnlyList<Statement> Statements { get; init; }

    public required Token[] Tokens { get; init; }

    public bool HasLoop { get; init; }

    public bool HasCommit { get; init; }

    /// <summary>Text that looks like dynamic SQL (EXECUTE 'string' / format()): not parsed as statements.</summary>
    public bool HasDynamicSql { get; init; }
}

public sealed class DoStatement : Statement
{
    public override StatementKind Kind => StatementKind.Do;

    public string Language { get; init; } = "plpgsql";

    public ProceduralBody? Body { get; init; }
}

public sealed class CreateFunctionStatement : Statement
{
    public override StatementKind Kind => StatementKind.CreateFunction;

    public required ObjectName Name { get; init; }

    public bool IsProcedure { get; init; }

    public string? Language { get; init; }

    public ProceduralBody? Body { get; init; }
}

public sealed class CreateTriggerStatement : Statement
{
    public override StatementKind Kind => StatementKind.CreateTrigger;

    public ObjectName? Table { get; init; }
}

public enum TransactionOperation
{
    Begin,
    Commit,
    Rollback,
    Savepoint,
    Release,
    RollbackToSavepoint,
    Other,
}

public sealed class TransactionStatement : Statement
{
    public override StatementKind Kind => StatementKind.Transaction;

    public required TransactionOperation Operation { get; init; }
}

public sealed class SetStatement : Statement
{
    public override StatementKind Kind => StatementKind.Set;

    /// <summary>The setting name, lower-cased (lock_timeout, foreign_key_checks, search_path …).</summary>
    public required string Name { get; init; }

    public string Value { get; init; } = string.Empty;

    public bool Local { get; init; }
}

public sealed class VacuumStatement : Statement
{
    public override StatementKind Kind => StatementKind.Vacuum;

    public bool Full { get; init; }

    public IReadOnlyList<ObjectName> Tables { get; init; } = [];
}

public sealed class ClusterStatement : Statement
{
    public override StatementKind Kind => StatementKind.Cluster;

    public ObjectName? Table { get; init; }
}

public sealed class LockTableStatement : Statement
{
    public override StatementKind Kind => StatementKind.LockTable;

    public required IReadOnlyList<ObjectName> Tables { get; init; }

    public string? Mode { get; init; }
}

public sealed class CallStatement : Statement
{
    public override StatementKind Kind => StatementKind.Call;
}

/// <summary>Something the front end could not read, reported as a `syntax-error` finding.</summary>
public sealed record ParseIssue(TextSpan Span, string Message, bool IsError);
