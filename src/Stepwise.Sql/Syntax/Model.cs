namespace Stepwise.Sql.Syntax;

/// <summary>A possibly schema-qualified name, normalised for comparison (PostgreSQL folds unquoted
/// names to lower case; MySQL and SQLite compare case-insensitively, so they are lower-cased too).</summary>
/// <param name="Schema">The schema (or MySQL database) qualifier, or null when the name is unqualified.</param>
/// <param name="Name">The object's own name, normalised.</param>
/// <param name="Span">Where the name (with its qualifier) is written in the source.</param>
public sealed record ObjectName(string? Schema, string Name, TextSpan Span)
{
    /// <summary>The key used in schema maps: the name, qualified only outside the default schema.</summary>
    public string Key => Schema is null || string.Equals(Schema, "public", StringComparison.Ordinal) ? Name : Schema + "." + Name;

    /// <summary>The name as schema.name, or the bare name when unqualified.</summary>
    public override string ToString() => Schema is null ? Name : Schema + "." + Name;
}

/// <summary>A run of tokens kept as written (a default, a CHECK body, a WHERE clause).</summary>
public sealed class Expression
{
    /// <summary>Wraps the significant tokens of an expression; the span runs from the first to the last token.</summary>
    /// <param name="source">The source the tokens point into.</param>
    /// <param name="tokens">The expression's significant tokens (no whitespace or comments).</param>
    public Expression(SourceText source, IReadOnlyList<Token> tokens)
    {
        Source = source;
        Tokens = tokens;
        Span = tokens.Count == 0 ? default : TextSpan.FromBounds(tokens[0].Start, tokens[^1].End);
    }

    /// <summary>The source the expression was read from.</summary>
    public SourceText Source { get; }

    /// <summary>The significant tokens (no whitespace or comments).</summary>
    public IReadOnlyList<Token> Tokens { get; }

    /// <summary>From the first token to the end of the last; empty when there are no tokens.</summary>
    public TextSpan Span { get; }

    /// <summary>The expression exactly as written, comments and whitespace inside it included.</summary>
    public string Text => Source.ToString(Span);

    /// <summary>The text of the significant token at <paramref name="index"/>.</summary>
    public string TokenText(int index) => Source.ToString(Tokens[index].Span);

    /// <summary>True when the significant token at <paramref name="index"/> is the unquoted word
    /// <paramref name="word"/> (case-insensitive); false for an index out of range.</summary>
    public bool IsWord(int index, string word) =>
        index >= 0 && index < Tokens.Count && Tokens[index].Kind == TokenKind.Word &&
        Source.Slice(Tokens[index].Span).Equals(word, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when any significant token is the unquoted word <paramref name="word"/> (case-insensitive).</summary>
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

    /// <summary>The expression as written (<see cref="Text"/>).</summary>
    public override string ToString() => Text;
}

/// <summary>A column type as written, with a normalised base name (int4 → integer, character varying →
/// varchar, timestamp with time zone → timestamptz …) and its modifiers.</summary>
/// <param name="Name">The normalised base name (integer, varchar, timestamptz …); a schema-qualified type keeps only its last part.</param>
/// <param name="Arguments">The modifiers in parentheses as written (varchar(255) → "255"; numeric(10, 2) → "10", "2").</param>
/// <param name="IsArray">The type is an array (int[] or ARRAY).</param>
/// <param name="Span">Where the type is written in the source.</param>
/// <param name="Text">The type exactly as written.</param>
public sealed record DataType(string Name, IReadOnlyList<string> Arguments, bool IsArray, TextSpan Span, string Text)
{
    /// <summary>The first modifier as a number (a length or precision), or null when absent or not a number.</summary>
    public int? FirstArgument => Arguments.Count > 0 && int.TryParse(Arguments[0], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>The second modifier as a number (a scale), or null when absent or not a number.</summary>
    public int? SecondArgument => Arguments.Count > 1 && int.TryParse(Arguments[1], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>The type as written (<see cref="Text"/>).</summary>
    public override string ToString() => Text;
}

/// <summary>How a column gets generated key values, if at all.</summary>
public enum IdentityKind
{
    /// <summary>An ordinary column.</summary>
    None,
    /// <summary>GENERATED ALWAYS AS IDENTITY.</summary>
    Always,
    /// <summary>GENERATED BY DEFAULT AS IDENTITY.</summary>
    ByDefault,
    /// <summary>MySQL AUTO_INCREMENT or SQLite AUTOINCREMENT.</summary>
    AutoIncrement,
    /// <summary>PostgreSQL serial, bigserial or smallserial (a sequence-backed default).</summary>
    Serial,
}

/// <summary>One column as a CREATE TABLE or ADD COLUMN defines it, with its inline constraints.</summary>
public sealed class ColumnDefinition
{
    /// <summary>The column name, normalised.</summary>
    public required string Name { get; init; }

    /// <summary>Where the column name is written.</summary>
    public required TextSpan NameSpan { get; init; }

    /// <summary>From the column name to the end of its definition.</summary>
    public TextSpan Span { get; init; }

    /// <summary>The declared type; null when none is written (SQLite allows that).</summary>
    public DataType? Type { get; init; }

    /// <summary>NOT NULL, or implied by an inline PRIMARY KEY.</summary>
    public bool NotNull { get; set; }

    /// <summary>NULL is written explicitly as a column constraint.</summary>
    public bool ExplicitNull { get; set; }

    /// <summary>The DEFAULT expression as written, or null.</summary>
    public Expression? Default { get; set; }

    /// <summary>An inline PRIMARY KEY.</summary>
    public bool PrimaryKey { get; set; }

    /// <summary>An inline UNIQUE (or MySQL UNIQUE KEY).</summary>
    public bool Unique { get; set; }

    /// <summary>An inline REFERENCES clause, or null.</summary>
    public ForeignKeyReference? References { get; set; }

    /// <summary>The body of an inline CHECK (…), without the parentheses, or null.</summary>
    public Expression? Check { get; set; }

    /// <summary>How the column generates key values, if at all.</summary>
    public IdentityKind Identity { get; set; }

    /// <summary>GENERATED ALWAYS AS (…) STORED (PostgreSQL) or … STORED (MySQL).</summary>
    public Expression? GeneratedStored { get; set; }

    /// <summary>A generated column computed on read (VIRTUAL, MySQL's default), so adding it writes no rows.</summary>
    public bool GeneratedVirtual { get; set; }

    /// <summary>MySQL FIRST / AFTER col placement.</summary>
    public string? Position { get; set; }
}

/// <summary>The target of a foreign key.</summary>
/// <param name="Table">The referenced table.</param>
/// <param name="Columns">The referenced columns, normalised; empty when omitted (the referenced table's primary key).</param>
public sealed record ForeignKeyReference(ObjectName Table, IReadOnlyList<string> Columns);

/// <summary>What a table constraint (or MySQL in-table index) is.</summary>
public enum ConstraintKind
{
    /// <summary>PRIMARY KEY.</summary>
    PrimaryKey,
    /// <summary>UNIQUE (in MySQL also UNIQUE INDEX / UNIQUE KEY).</summary>
    Unique,
    /// <summary>FOREIGN KEY … REFERENCES.</summary>
    ForeignKey,
    /// <summary>CHECK (…).</summary>
    Check,
    /// <summary>PostgreSQL EXCLUDE USING ….</summary>
    Exclude,

    /// <summary>MySQL INDEX/KEY inside CREATE/ALTER TABLE.</summary>
    Index,

    /// <summary>MySQL FULLTEXT / SPATIAL index.</summary>
    FullText,
}

/// <summary>A table constraint of CREATE TABLE or ALTER TABLE … ADD (also MySQL's in-table indexes).</summary>
public sealed class TableConstraint
{
    /// <summary>The constraint's name (CONSTRAINT name, or MySQL's index name), or null when unnamed.</summary>
    public string? Name { get; init; }

    /// <summary>What the constraint is.</summary>
    public required ConstraintKind Kind { get; init; }

    /// <summary>Where the constraint clause is written.</summary>
    public TextSpan Span { get; init; }

    /// <summary>The constrained (for a foreign key: the referencing) columns, normalised.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>The target of a FOREIGN KEY, or null.</summary>
    public ForeignKeyReference? References { get; init; }

    /// <summary>The body of a CHECK (…), without the parentheses, or null.</summary>
    public Expression? Check { get; init; }

    /// <summary>PostgreSQL NOT VALID: existing rows are not checked until VALIDATE CONSTRAINT.</summary>
    public bool NotValid { get; init; }

    /// <summary>ADD CONSTRAINT … UNIQUE/PRIMARY KEY USING INDEX name.</summary>
    public string? UsingIndex { get; init; }
}

/// <summary>Which typed statement class a <see cref="Statement"/> is.</summary>
public enum StatementKind
{
    /// <summary>Not modelled: <see cref="OpaqueStatement"/>.</summary>
    Opaque,
    /// <summary><see cref="CreateTableStatement"/>.</summary>
    CreateTable,
    /// <summary><see cref="AlterTableStatement"/>.</summary>
    AlterTable,
    /// <summary><see cref="DropTableStatement"/>.</summary>
    DropTable,
    /// <summary><see cref="RenameTableStatement"/> (MySQL RENAME TABLE).</summary>
    RenameTable,
    /// <summary><see cref="CreateIndexStatement"/>.</summary>
    CreateIndex,
    /// <summary><see cref="DropIndexStatement"/>.</summary>
    DropIndex,
    /// <summary><see cref="ReindexStatement"/>.</summary>
    Reindex,
    /// <summary><see cref="CreateTypeStatement"/>.</summary>
    CreateType,
    /// <summary><see cref="AlterTypeStatement"/>.</summary>
    AlterType,
    /// <summary><see cref="UpdateStatement"/>.</summary>
    Update,
    /// <summary><see cref="DeleteStatement"/>.</summary>
    Delete,
    /// <summary><see cref="InsertStatement"/> (INSERT or REPLACE).</summary>
    Insert,
    /// <summary><see cref="TruncateStatement"/>.</summary>
    Truncate,
    /// <summary><see cref="DoStatement"/> (PostgreSQL DO block).</summary>
    Do,
    /// <summary><see cref="CreateFunctionStatement"/> (function or procedure).</summary>
    CreateFunction,
    /// <summary><see cref="CreateTriggerStatement"/>.</summary>
    CreateTrigger,
    /// <summary><see cref="TransactionStatement"/> (BEGIN, COMMIT, SAVEPOINT …).</summary>
    Transaction,
    /// <summary><see cref="SetStatement"/>.</summary>
    Set,
    /// <summary><see cref="VacuumStatement"/>.</summary>
    Vacuum,
    /// <summary><see cref="ClusterStatement"/>.</summary>
    Cluster,
    /// <summary><see cref="LockTableStatement"/>.</summary>
    LockTable,
    /// <summary><see cref="CallStatement"/>.</summary>
    Call,
    /// <summary><see cref="CreateViewStatement"/>.</summary>
    CreateView,
    /// <summary><see cref="RefreshMaterializedViewStatement"/>.</summary>
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

/// <summary>One statement of a script: its place in the source and tokens, plus what the subclass models.
/// Anything the parser does not model or cannot follow is an <see cref="OpaqueStatement"/>.</summary>
public abstract class Statement
{
    /// <summary>From the first significant token to the end of the statement, terminator and leading comments excluded.</summary>
    public TextSpan Span { get; internal set; }

    /// <summary>Index of the statement's first significant token in <see cref="ParsedScript.Tokens"/>
    /// (for statements inside a body: in <see cref="ProceduralBody.Tokens"/>).</summary>
    public int FirstToken { get; internal set; }

    /// <summary>Index one past the statement's last token (the terminator excluded), in the same token array as
    /// <see cref="FirstToken"/>.</summary>
    public int EndToken { get; internal set; }

    /// <summary>First token after the previous statement's terminator: comments between the two
    /// (suppressions) live in [LeadingToken, FirstToken).</summary>
    public int LeadingToken { get; internal set; }

    /// <summary>Which typed statement this is.</summary>
    public abstract StatementKind Kind { get; }

    /// <summary>Set for statements inside a DO block or function body.</summary>
    public BodyContext? Context { get; internal set; }

    /// <summary>The statement's leading keywords, upper-cased ("CREATE INDEX", "ALTER TABLE").</summary>
    public string Keywords { get; internal set; } = string.Empty;
}

/// <summary>A statement the parser does not model (or could not follow); only its span and keywords are known.</summary>
public sealed class OpaqueStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.Opaque;
}

/// <summary>CREATE [TEMPORARY] TABLE [IF NOT EXISTS] name (columns, constraints), or one derived from a query or another table.</summary>
public sealed class CreateTableStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.CreateTable;

    /// <summary>The table created.</summary>
    public required ObjectName Table { get; init; }

    /// <summary>IF NOT EXISTS was given.</summary>
    public bool IfNotExists { get; init; }

    /// <summary>A TEMPORARY (TEMP) table: it lives only for the session.</summary>
    public bool Temporary { get; init; }

    /// <summary>The column definitions, in order (empty when <see cref="Derived"/>).</summary>
    public IReadOnlyList<ColumnDefinition> Columns { get; init; } = [];

    /// <summary>The table constraints (and MySQL in-table indexes) listed after or between the columns.</summary>
    public IReadOnlyList<TableConstraint> Constraints { get; init; } = [];

    /// <summary>CREATE TABLE … AS SELECT, LIKE or PARTITION OF: columns are not listed.</summary>
    public bool Derived { get; init; }
}

/// <summary>ALTER TABLE [IF EXISTS] name with its comma-separated actions.</summary>
public sealed class AlterTableStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.AlterTable;

    /// <summary>The table altered.</summary>
    public required ObjectName Table { get; init; }

    /// <summary>IF EXISTS was given.</summary>
    public bool IfExists { get; init; }

    /// <summary>The actions, in order; ones not modelled are <see cref="OtherAlterAction"/>.</summary>
    public IReadOnlyList<AlterTableAction> Actions { get; init; } = [];

    /// <summary>MySQL ALGORITHM= and LOCK= clauses, upper-cased, when given.</summary>
    public string? Algorithm { get; init; }

    /// <summary>MySQL LOCK= clause value, upper-cased (NONE, SHARED, EXCLUSIVE, DEFAULT), or null when not given.</summary>
    public string? Lock { get; init; }
}

/// <summary>One action of an ALTER TABLE.</summary>
public abstract class AlterTableAction
{
    /// <summary>Where the action is written inside the statement.</summary>
    public required TextSpan Span { get; init; }
}

/// <summary>ADD [COLUMN] [IF NOT EXISTS] definition.</summary>
public sealed class AddColumnAction : AlterTableAction
{
    /// <summary>The new column's definition.</summary>
    public required ColumnDefinition Column { get; init; }

    /// <summary>IF NOT EXISTS was given.</summary>
    public bool IfNotExists { get; init; }
}

/// <summary>DROP [COLUMN] [IF EXISTS] name.</summary>
public sealed class DropColumnAction : AlterTableAction
{
    /// <summary>The column dropped, normalised.</summary>
    public required string Column { get; init; }

    /// <summary>IF EXISTS was given.</summary>
    public bool IfExists { get; init; }
}

/// <summary>PostgreSQL ALTER COLUMN … TYPE; MySQL MODIFY / CHANGE (Definition set, and for CHANGE a
/// NewName when the column is renamed too).</summary>
public sealed class AlterColumnTypeAction : AlterTableAction
{
    /// <summary>The column changed, normalised (for CHANGE: its old name).</summary>
    public required string Column { get; init; }

    /// <summary>The column's new type.</summary>
    public required DataType NewType { get; init; }

    /// <summary>PostgreSQL USING expression converting the old values, or null.</summary>
    public Expression? Using { get; init; }

    /// <summary>MySQL MODIFY / CHANGE: the whole new column definition (MySQL replaces the column's attributes
    /// with it); null for PostgreSQL.</summary>
    public ColumnDefinition? Definition { get; init; }

    /// <summary>MySQL CHANGE old new: the new name, when it differs from the old one.</summary>
    public string? NewName { get; init; }
}

/// <summary>ALTER COLUMN … SET NOT NULL.</summary>
public sealed class SetNotNullAction : AlterTableAction
{
    /// <summary>The column, normalised.</summary>
    public required string Column { get; init; }
}

/// <summary>ALTER COLUMN … DROP NOT NULL.</summary>
public sealed class DropNotNullAction : AlterTableAction
{
    /// <summary>The column, normalised.</summary>
    public required string Column { get; init; }
}

/// <summary>ALTER COLUMN … SET DEFAULT expression.</summary>
public sealed class SetDefaultAction : AlterTableAction
{
    /// <summary>The column, normalised.</summary>
    public required string Column { get; init; }

    /// <summary>The new default as written.</summary>
    public required Expression Default { get; init; }
}

/// <summary>ALTER COLUMN … DROP DEFAULT.</summary>
public sealed class DropDefaultAction : AlterTableAction
{
    /// <summary>The column, normalised.</summary>
    public required string Column { get; init; }
}

/// <summary>RENAME [COLUMN] old TO new.</summary>
public sealed class RenameColumnAction : AlterTableAction
{
    /// <summary>The old name, normalised.</summary>
    public required string Column { get; init; }

    /// <summary>The new name, normalised.</summary>
    public required string NewName { get; init; }
}

/// <summary>ALTER TABLE … RENAME TO new_name (MySQL also RENAME [AS] new_name).</summary>
public sealed class RenameTableAction : AlterTableAction
{
    /// <summary>The table's new name.</summary>
    public required ObjectName NewName { get; init; }
}

/// <summary>ADD [CONSTRAINT name] … (and MySQL ADD INDEX / KEY / FULLTEXT …).</summary>
public sealed class AddConstraintAction : AlterTableAction
{
    /// <summary>The constraint added.</summary>
    public required TableConstraint Constraint { get; init; }
}

/// <summary>PostgreSQL VALIDATE CONSTRAINT name.</summary>
public sealed class ValidateConstraintAction : AlterTableAction
{
    /// <summary>The constraint's name.</summary>
    public required string Name { get; init; }
}

/// <summary>DROP CONSTRAINT [IF EXISTS] name, and MySQL's DROP INDEX / KEY / PRIMARY KEY / FOREIGN KEY / CHECK.</summary>
public sealed class DropConstraintAction : AlterTableAction
{
    /// <summary>The constraint's name ("primary" for MySQL DROP PRIMARY KEY).</summary>
    public required string Name { get; init; }

    /// <summary>IF EXISTS was given.</summary>
    public bool IfExists { get; init; }

    /// <summary>MySQL DROP INDEX / DROP KEY / DROP PRIMARY KEY / DROP FOREIGN KEY.</summary>
    public ConstraintKind? MySqlKind { get; init; }
}

/// <summary>Anything else (SET TABLESPACE, OWNER TO, ATTACH PARTITION …), kept as its keywords.</summary>
public sealed class OtherAlterAction : AlterTableAction
{
    /// <summary>The action's leading keywords, upper-cased ("OWNER TO", "ALTER COLUMN" …).</summary>
    public required string Keywords { get; init; }
}

/// <summary>DROP [TEMPORARY] TABLE [IF EXISTS] names.</summary>
public sealed class DropTableStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.DropTable;

    /// <summary>The tables dropped.</summary>
    public required IReadOnlyList<ObjectName> Tables { get; init; }

    /// <summary>IF EXISTS was given.</summary>
    public bool IfExists { get; init; }

    /// <summary>MySQL DROP TEMPORARY TABLE: never touches a permanent table and does not commit.</summary>
    public bool Temporary { get; init; }
}

/// <summary>MySQL RENAME TABLE a TO b, c TO d.</summary>
public sealed class RenameTableStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.RenameTable;

    /// <summary>Each rename, in order.</summary>
    public required IReadOnlyList<(ObjectName From, ObjectName To)> Renames { get; init; }
}

/// <summary>CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON table (…) [WHERE …].</summary>
public sealed class CreateIndexStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.CreateIndex;

    /// <summary>The index's name, or null when PostgreSQL is left to choose one.</summary>
    public ObjectName? Name { get; init; }

    /// <summary>The indexed table.</summary>
    public required ObjectName Table { get; init; }

    /// <summary>A UNIQUE index.</summary>
    public bool Unique { get; init; }

    /// <summary>PostgreSQL CONCURRENTLY: built without blocking writes (and not inside a transaction).</summary>
    public bool Concurrently { get; init; }

    /// <summary>IF NOT EXISTS was given.</summary>
    public bool IfNotExists { get; init; }

    /// <summary>FULLTEXT or SPATIAL (MySQL).</summary>
    public bool FullText { get; init; }

    /// <summary>Plain column names of the key, in order; an expression key is kept as its text.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>The access method of USING after the table (btree, gin, gist …), lower-cased, or null.</summary>
    public string? Method { get; init; }

    /// <summary>The predicate of a partial index, or null.</summary>
    public Expression? Where { get; init; }

    /// <summary>The INDEX keyword: CONCURRENTLY goes right after it.</summary>
    public TextSpan IndexKeyword { get; init; }
}

/// <summary>DROP INDEX [CONCURRENTLY] [IF EXISTS] names (MySQL: DROP INDEX name ON table).</summary>
public sealed class DropIndexStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.DropIndex;

    /// <summary>The indexes dropped.</summary>
    public required IReadOnlyList<ObjectName> Indexes { get; init; }

    /// <summary>PostgreSQL CONCURRENTLY was given.</summary>
    public bool Concurrently { get; init; }

    /// <summary>IF EXISTS was given.</summary>
    public bool IfExists { get; init; }

    /// <summary>MySQL DROP INDEX i ON t.</summary>
    public ObjectName? Table { get; init; }

    /// <summary>The INDEX keyword: CONCURRENTLY goes right after it.</summary>
    public TextSpan IndexKeyword { get; init; }
}

/// <summary>PostgreSQL REINDEX [(options)] target [CONCURRENTLY] name.</summary>
public sealed class ReindexStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.Reindex;

    /// <summary>INDEX, TABLE, SCHEMA, DATABASE or SYSTEM.</summary>
    public required string Target { get; init; }

    /// <summary>The object reindexed, or null when none is written.</summary>
    public ObjectName? Name { get; init; }

    /// <summary>CONCURRENTLY was given.</summary>
    public bool Concurrently { get; init; }

    /// <summary>The target keyword (INDEX/TABLE …): CONCURRENTLY goes right after it.</summary>
    public TextSpan TargetKeyword { get; init; }
}

/// <summary>PostgreSQL CREATE TYPE name [AS ENUM (…) | …].</summary>
public sealed class CreateTypeStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.CreateType;

    /// <summary>The type created.</summary>
    public required ObjectName Name { get; init; }

    /// <summary>The labels of an enum type, in order (empty otherwise).</summary>
    public IReadOnlyList<string> EnumValues { get; init; } = [];

    /// <summary>The type is AS ENUM.</summary>
    public bool IsEnum { get; init; }
}

/// <summary>PostgreSQL ALTER TYPE name … (ADD VALUE, RENAME TO, RENAME VALUE, or anything else).</summary>
public sealed class AlterTypeStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.AlterType;

    /// <summary>The type altered.</summary>
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
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.CreateView;

    /// <summary>The view created.</summary>
    public required ObjectName Name { get; init; }

    /// <summary>A MATERIALIZED view (its rows are stored).</summary>
    public bool Materialized { get; init; }

    /// <summary>OR REPLACE was given.</summary>
    public bool OrReplace { get; init; }

    /// <summary>IF NOT EXISTS was given.</summary>
    public bool IfNotExists { get; init; }

    /// <summary>A TEMPORARY (TEMP) view.</summary>
    public bool Temporary { get; init; }

    /// <summary>WITH NO DATA: a materialized view that is not populated until REFRESH.</summary>
    public bool WithNoData { get; init; }
}

/// <summary>PostgreSQL REFRESH MATERIALIZED VIEW [CONCURRENTLY] name [WITH [NO] DATA].</summary>
public sealed class RefreshMaterializedViewStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.RefreshMaterializedView;

    /// <summary>The materialized view refreshed.</summary>
    public required ObjectName Name { get; init; }

    /// <summary>CONCURRENTLY was given: reads are not blocked while it refreshes.</summary>
    public bool Concurrently { get; init; }

    /// <summary>The VIEW keyword: CONCURRENTLY goes right after it.</summary>
    public TextSpan ViewKeyword { get; init; }
}

/// <summary>UPDATE table [alias] SET … [FROM …] [WHERE …] [LIMIT n] (also MySQL multi-table and SQLite UPDATE OR …).</summary>
public sealed class UpdateStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.Update;

    /// <summary>The table updated (for a MySQL multi-table UPDATE: the first one).</summary>
    public required ObjectName Table { get; init; }

    /// <summary>The table's alias, or null.</summary>
    public string? Alias { get; init; }

    /// <summary>The columns assigned in the SET clause, normalised, in order.</summary>
    public IReadOnlyList<string> SetColumns { get; init; } = [];

    /// <summary>The SET clause's assignments as written, or null.</summary>
    public Expression? Set { get; init; }

    /// <summary>The WHERE condition, or null when every row is updated.</summary>
    public Expression? Where { get; init; }

    /// <summary>MySQL UPDATE … LIMIT n.</summary>
    public bool HasLimit { get; init; }

    /// <summary>PostgreSQL UPDATE … FROM: the rows come from a join.</summary>
    public bool HasFrom { get; init; }
}

/// <summary>DELETE FROM table [alias] [WHERE …] [LIMIT n].</summary>
public sealed class DeleteStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.Delete;

    /// <summary>The table deleted from.</summary>
    public required ObjectName Table { get; init; }

    /// <summary>The table's alias, or null.</summary>
    public string? Alias { get; init; }

    /// <summary>The WHERE condition, or null when every row is deleted.</summary>
    public Expression? Where { get; init; }

    /// <summary>MySQL DELETE … LIMIT n.</summary>
    public bool HasLimit { get; init; }
}

/// <summary>INSERT (or MySQL/SQLite REPLACE) INTO table ….</summary>
public sealed class InsertStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.Insert;

    /// <summary>The table inserted into.</summary>
    public required ObjectName Table { get; init; }

    /// <summary>INSERT … SELECT (copies rows) rather than VALUES.</summary>
    public bool FromSelect { get; init; }
}

/// <summary>TRUNCATE [TABLE] names.</summary>
public sealed class TruncateStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.Truncate;

    /// <summary>The tables truncated.</summary>
    public required IReadOnlyList<ObjectName> Tables { get; init; }
}

/// <summary>The text inside a dollar-quoted (or quoted) procedural body, lexed and split on its own, with
/// spans that point into the enclosing source.</summary>
public sealed class ProceduralBody
{
    /// <summary>The body's text, inside the quotes.</summary>
    public required TextSpan Span { get; init; }

    /// <summary>The body's SQL statements (procedural control words skipped), with their <see cref="Statement.Context"/> set.</summary>
    public required IReadOnlyList<Statement> Statements { get; init; }

    /// <summary>The body's own tokens, which the statements' token indexes refer to; their spans point into the enclosing source.</summary>
    public required Token[] Tokens { get; init; }

    /// <summary>The body contains a LOOP, WHILE or FOR loop.</summary>
    public bool HasLoop { get; init; }

    /// <summary>The body contains COMMIT.</summary>
    public bool HasCommit { get; init; }

    /// <summary>Text that looks like dynamic SQL (EXECUTE 'string' / format()): not parsed as statements.</summary>
    public bool HasDynamicSql { get; init; }
}

/// <summary>PostgreSQL DO [LANGUAGE lang] $$ … $$: an anonymous block that runs now.</summary>
public sealed class DoStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.Do;

    /// <summary>The block's language, normalised (plpgsql unless LANGUAGE says otherwise).</summary>
    public string Language { get; init; } = "plpgsql";

    /// <summary>The parsed body; null when the language is not plpgsql or there is no dollar-quoted body.</summary>
    public ProceduralBody? Body { get; init; }
}

/// <summary>CREATE [OR REPLACE] FUNCTION or PROCEDURE: its body runs when called, not during the migration.</summary>
public sealed class CreateFunctionStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.CreateFunction;

    /// <summary>The function or procedure created.</summary>
    public required ObjectName Name { get; init; }

    /// <summary>CREATE PROCEDURE rather than FUNCTION.</summary>
    public bool IsProcedure { get; init; }

    /// <summary>The LANGUAGE clause, normalised, or null when not given.</summary>
    public string? Language { get; init; }

    /// <summary>The parsed dollar-quoted body, for sql and plpgsql (or no LANGUAGE clause); null otherwise.</summary>
    public ProceduralBody? Body { get; init; }
}

/// <summary>CREATE [OR REPLACE] TRIGGER … ON table ….</summary>
public sealed class CreateTriggerStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.CreateTrigger;

    /// <summary>The table of ON table, or null when not found.</summary>
    public ObjectName? Table { get; init; }
}

/// <summary>What a transaction-control statement does.</summary>
public enum TransactionOperation
{
    /// <summary>BEGIN or START TRANSACTION.</summary>
    Begin,
    /// <summary>COMMIT or END.</summary>
    Commit,
    /// <summary>ROLLBACK or ABORT (of the whole transaction).</summary>
    Rollback,
    /// <summary>SAVEPOINT name.</summary>
    Savepoint,
    /// <summary>RELEASE [SAVEPOINT] name.</summary>
    Release,
    /// <summary>ROLLBACK TO [SAVEPOINT] name: the transaction stays open.</summary>
    RollbackToSavepoint,
    /// <summary>COMMIT PREPARED / ROLLBACK PREPARED and the like: not the migration's own transaction.</summary>
    Other,
}

/// <summary>A transaction-control statement (BEGIN, COMMIT, ROLLBACK, SAVEPOINT …).</summary>
public sealed class TransactionStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.Transaction;

    /// <summary>What the statement does.</summary>
    public required TransactionOperation Operation { get; init; }
}

/// <summary>SET [LOCAL|SESSION|GLOBAL] name = value (or TO value). SET TRANSACTION / CONSTRAINTS are opaque.</summary>
public sealed class SetStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.Set;

    /// <summary>The setting name, lower-cased (lock_timeout, foreign_key_checks, search_path …).</summary>
    public required string Name { get; init; }

    /// <summary>The value as written, surrounding single quotes removed.</summary>
    public string Value { get; init; } = string.Empty;

    /// <summary>PostgreSQL SET LOCAL: the setting lasts until the end of the transaction.</summary>
    public bool Local { get; init; }
}

/// <summary>PostgreSQL VACUUM [FULL] [(options)] [tables].</summary>
public sealed class VacuumStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.Vacuum;

    /// <summary>VACUUM FULL (or the FULL option set): rewrites each table under an exclusive lock.</summary>
    public bool Full { get; init; }

    /// <summary>The tables named; empty for the whole database.</summary>
    public IReadOnlyList<ObjectName> Tables { get; init; } = [];
}

/// <summary>PostgreSQL CLUSTER [VERBOSE] [table [USING index]]: rewrites the table under an exclusive lock.</summary>
public sealed class ClusterStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.Cluster;

    /// <summary>The table, or null for every table clustered before.</summary>
    public ObjectName? Table { get; init; }
}

/// <summary>LOCK [TABLE] names [IN mode MODE] (PostgreSQL) or LOCK TABLES name mode (MySQL).</summary>
public sealed class LockTableStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.LockTable;

    /// <summary>The tables locked.</summary>
    public required IReadOnlyList<ObjectName> Tables { get; init; }

    /// <summary>The lock mode, upper-cased ("ACCESS EXCLUSIVE", MySQL "READ" or "WRITE"), or null when not given.</summary>
    public string? Mode { get; init; }
}

/// <summary>CALL procedure(…): its effect is not known from the text.</summary>
public sealed class CallStatement : Statement
{
    /// <inheritdoc/>
    public override StatementKind Kind => StatementKind.Call;
}

/// <summary>Something the front end could not read, reported as a `syntax-error` finding.</summary>
/// <param name="Span">Where the problem is.</param>
/// <param name="Message">What could not be read, for the user.</param>
/// <param name="IsError">False for what is only worth a note (a psql meta-command), true for a real syntax problem.</param>
public sealed record ParseIssue(TextSpan Span, string Message, bool IsError);
