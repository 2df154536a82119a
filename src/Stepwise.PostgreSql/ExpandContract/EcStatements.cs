using Stepwise.Engines;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;
using static Stepwise.PostgreSql.ExpandContract.EcSql;

namespace Stepwise.PostgreSql.ExpandContract;

/// <summary>The safe forms of a directive file's other statements: CREATE INDEX → CONCURRENTLY; ADD FOREIGN KEY /
/// CHECK → NOT VALID, then VALIDATE; ADD UNIQUE → CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX;
/// ADD COLUMN (nullable, or a non-volatile default), SET/DROP DEFAULT, CREATE TABLE as written. Each has its undo for
/// abort. Anything else is refused with the reason.</summary>
internal static class EcStatements
{
    private static readonly HashSet<string> Volatile = new(StringComparer.OrdinalIgnoreCase)
    {
        "random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "nextval", "clock_timestamp", "timeofday", "txid_current", "statement_timestamp",
    };

    public static async Task PlanAsync(EcCatalog catalog, EcPlanBuilder plan, EcStatement ec, CancellationToken ct)
    {
        // parsed again from its own text, so that spans point into the statement as written
        var sql = ec.Sql.Trim().TrimEnd(';');
        var script = ParsedScript.Parse(new SourceText(sql), SqlDialect.PostgreSql);
        if (script.Statements.Count != 1)
        {
            throw new EcPlanException($"expected one statement, found {script.Statements.Count}: {ec.Sql}");
        }

        switch (script.Statements[0])
        {
            case CreateIndexStatement index:
                await CreateIndexAsync(catalog, plan, sql, index, ct).ConfigureAwait(false);
                break;
            case AlterTableStatement alter:
                await AlterTableAsync(catalog, plan, sql, alter, ct).ConfigureAwait(false);
                break;
            case CreateTableStatement create:
                await CreateTableAsync(catalog, plan, sql, create, ct).ConfigureAwait(false);
                break;
            case var other:
                throw Refuse(other.Keywords, "expand/contract has no safe form for it that abort can undo; put it in a plain migration");
        }
    }

    private static EcPlanException Refuse(string what, string why) => new($"{what}: {why}");

    private static async Task<(string Schema, string Qualified, EcTable? Table)> TableAsync(EcCatalog catalog, ObjectName name, CancellationToken ct)
    {
        var table = await catalog.TableAsync(name.ToString(), ct).ConfigureAwait(false);
        var schema = table?.Schema ?? name.Schema ?? "public";
        return (schema, table?.Qualified ?? Q(schema) + "." + Q(name.Name), table);
    }

    private static string DefaultName(string table, IReadOnlyList<string> columns, string suffix, string what)
    {
        var name = string.Join('_', [table, .. columns, suffix]);
        if (columns.Count == 0 || columns.Any(c => !c.All(ch => char.IsLetterOrDigit(ch) || ch == '_')) || System.Text.Encoding.UTF8.GetByteCount(name) > 63)
        {
            throw Refuse(what, "give it a name (expand/contract needs the name to make the step repeatable and to undo it)");
        }

        return name;
    }

    private static async Task CreateIndexAsync(EcCatalog catalog, EcPlanBuilder plan, string sql, CreateIndexStatement index, CancellationToken ct)
    {
        var (schema, _, _) = await TableAsync(catalog, index.Table, ct).ConfigureAwait(false);
        var name = index.Name?.Name ?? DefaultName(index.Table.Name, index.Columns, index.Unique ? "key" : "idx", "CREATE INDEX");
        var tokens = Stepwise.Sql.Lexing.SqlLexer.Tokenize(sql, SqlDialect.PostgreSql);
        var indexWord = Array.FindIndex(tokens, t => IsWord(sql, t, "INDEX"));
        var onWord = Array.FindIndex(tokens, indexWord + 1, t => IsWord(sql, t, "ON"));
        if (indexWord < 0 || onWord < 0)
        {
            throw Refuse("CREATE INDEX", "cannot read the statement");
        }

        var qualified = Q(schema) + "." + Q(name);
        var create = sql[..tokens[indexWord].End] + " CONCURRENTLY IF NOT EXISTS " + Q(name) + " " + sql[tokens[onWord].Start..];
        plan.ExpandStatements.Add(new EcStep($"build index {name} concurrently", EcStepKind.Statements, [DropIfInvalid(qualified), create]));
        plan.AbortIndexes.Add($"DROP INDEX CONCURRENTLY IF EXISTS {qualified}");
        plan.Tables.Add(index.Table.Key);
    }

    private static bool IsWord(string sql, Token t, string word) =>
        t.Kind == TokenKind.Word && sql.AsSpan(t.Start, t.Length).Equals(word, StringComparison.OrdinalIgnoreCase);

    private static async Task CreateTableAsync(EcCatalog catalog, EcPlanBuilder plan, string sql, CreateTableStatement create, CancellationToken ct)
    {
        if (create.Temporary)
        {
            throw Refuse("CREATE TEMPORARY TABLE", "a temporary table does not outlive the session");
        }

        var (_, qualified, table) = await TableAsync(catalog, create.Table, ct).ConfigureAwait(false);
        if (table is not null)
        {
            if (create.IfNotExists)
            {
                return; // nothing to do, nothing to undo
            }

            throw Refuse("CREATE TABLE", $"{create.Table} already exists");
        }

        plan.ExpandStatements.Add(new EcStep($"create table {create.Table}", EcStepKind.Transaction, [When(RelationMissing(qualified), sql)]));
        plan.AbortTx.Add($"DROP TABLE IF EXISTS {qualified}");
        plan.Tables.Add(create.Table.Key);
    }

    private static async Task AlterTableAsync(EcCatalog catalog, EcPlanBuilder plan, string sql, AlterTableStatement alter, CancellationToken ct)
    {
        var (_, t, table) = await TableAsync(catalog, alter.Table, ct).ConfigureAwait(false);
        var key = alter.Table.Key;
        plan.Tables.Add(key);
        foreach (var action in alter.Actions)
        {
            var text = sql.Substring(action.Span.Start, action.Span.Length);
            switch (action)
            {
                case AddColumnAction add:
                    AddColumn(plan, sql, t, add);
                    break;
                case AddConstraintAction { Constraint: var c }:
                    AddConstraint(plan, sql, t, alter.Table.Name, table, c);
                    break;
                case SetDefaultAction or DropDefaultAction:
                {
                    var name = action is SetDefaultAction s ? s.Column : ((DropDefaultAction)action).Column;
                    plan.ExpandStatements.Add(new EcStep($"{key}: {text}", EcStepKind.Transaction, [$"ALTER TABLE {t} {text}"]));
                    if (table?.Column(name) is { } column)
                    {
                        plan.AbortTx.Add(When(ColumnExists(t, name), column.Default is null
                            ? $"ALTER TABLE {t} ALTER COLUMN {Q(name)} DROP DEFAULT"
                            : $"ALTER TABLE {t} ALTER COLUMN {Q(name)} SET DEFAULT {column.Default}"));
                    }

                    break;
                }

                case ValidateConstraintAction v:
                    plan.ExpandStatements.Add(new EcStep($"{key}: validate {v.Name}", EcStepKind.Statements, [$"ALTER TABLE {t} {text}"]));
                    break;
                default:
                    throw Refuse($"ALTER TABLE {alter.Table} {text}", "expand/contract has no safe form for this action that abort can undo; put it in a plain migration");
            }
        }
    }

    private static void AddColumn(EcPlanBuilder plan, string sql, string t, AddColumnAction add)
    {
        var c = add.Column;
        var what = $"ADD COLUMN {c.Name}";
        if (c.PrimaryKey || c.Unique || c.References is not null || c.Check is not null)
        {
            throw Refuse(what, "an inline constraint builds an index or scans the table under its lock; add the column, then the constraint in its own statement (ADD CONSTRAINT … runs in its safe form)");
        }

        if (c.Identity != IdentityKind.None || c.GeneratedStored is not null)
        {
            throw Refuse(what, "a generated or identity column rewrites the table under an exclusive lock");
        }

        if (c.Default is { } d && d.Tokens.Select((tok, i) => (tok, i)).Any(x => x.tok.Kind == TokenKind.Word && Volatile.Contains(d.TokenText(x.i))))
        {
            throw Refuse(what, "a volatile DEFAULT rewrites the table under an exclusive lock; add the column without it and backfill");
        }

        if (c.NotNull && c.Default is null)
        {
            throw Refuse(what, "NOT NULL without a DEFAULT fails on a table with rows; give it a DEFAULT or a -- stepwise:fill value");
        }

        var definition = sql.Substring(c.Span.Start, c.Span.Length);
        plan.ExpandStatements.Add(new EcStep($"add column {c.Name}", EcStepKind.Transaction, [$"ALTER TABLE {t} ADD COLUMN IF NOT EXISTS {definition}"]));
        plan.AbortTx.Add($"ALTER TABLE {t} DROP COLUMN IF EXISTS {Q(c.Name)}");
    }

    private static void AddConstraint(EcPlanBuilder plan, string sql, string t, string tableName, EcTable? table, TableConstraint c)
    {
        var text = sql.Substring(c.Span.Start, c.Span.Length);
        switch (c.Kind)
        {
            case ConstraintKind.ForeignKey or ConstraintKind.Check:
            {
                var name = c.Name ?? DefaultName(tableName, c.Kind == ConstraintKind.ForeignKey ? c.Columns : CheckColumn(table, c), c.Kind == ConstraintKind.ForeignKey ? "fkey" : "check", "ADD " + c.Kind);
                var clause = (c.Name is null ? $"CONSTRAINT {Q(name)} " : string.Empty) + text + (c.NotValid ? string.Empty : " NOT VALID");
                plan.ExpandStatements.Add(new EcStep($"add constraint {name} NOT VALID", EcStepKind.Transaction,
                    [When($"NOT {ConstraintExists(t, name)}", $"ALTER TABLE {t} ADD {clause}")]));
                if (!c.NotValid)
                {
                    plan.ExpandStatements.Add(new EcStep($"validate constraint {name}", EcStepKind.Statements,
                        [When(ConstraintExists(t, name), $"ALTER TABLE {t} VALIDATE CONSTRAINT {Q(name)}")]));
                }

                plan.AbortTx.Add($"ALTER TABLE {t} DROP CONSTRAINT IF EXISTS {Q(name)}");
                break;
            }

            case ConstraintKind.Unique when c.UsingIndex is null:
            {
                var name = c.Name ?? DefaultName(tableName, c.Columns, "key", "ADD UNIQUE");
                var tokens = Stepwise.Sql.Lexing.SqlLexer.Tokenize(text, SqlDialect.PostgreSql);
                var close = Array.FindLastIndex(tokens, tok => tok.Kind == TokenKind.CloseParen);
                if (close < 0 || tokens.Skip(close + 1).Any(tok => !tok.IsTrivia))
                {
                    throw Refuse("ADD UNIQUE", "only a plain column list has a concurrent form (no INCLUDE, WITH, DEFERRABLE …)");
                }

                var schemaDot = t[..(t.LastIndexOf("\".\"", StringComparison.Ordinal) + 2)];
                var qualified = schemaDot + Q(name);
                plan.ExpandStatements.Add(new EcStep($"build unique index {name} concurrently", EcStepKind.Statements,
                    [DropIfInvalid(qualified), $"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {Q(name)} ON {t} ({string.Join(", ", c.Columns.Select(Q))})"]));
                plan.ExpandStatements.Add(new EcStep($"add constraint {name} using the index", EcStepKind.Transaction,
                    [When($"NOT {ConstraintExists(t, name)}", $"ALTER TABLE {t} ADD CONSTRAINT {Q(name)} UNIQUE USING INDEX {Q(name)}")]));
                plan.AbortTx.Add($"ALTER TABLE {t} DROP CONSTRAINT IF EXISTS {Q(name)}");
                plan.AbortIndexes.Add($"DROP INDEX CONCURRENTLY IF EXISTS {qualified}");
                break;
            }

            default:
                throw Refuse($"ADD {c.Kind}", "it builds an index or scans the table under an exclusive lock, with no concurrent form expand/contract can use; put it in a plain migration");
        }
    }

    // PostgreSQL names an unnamed CHECK after the first column its expression uses
    private static IReadOnlyList<string> CheckColumn(EcTable? table, TableConstraint c)
    {
        string? first = null;
        if (c.Check is { } check && table is not null)
        {
            RewriteColumns(check.Text, n =>
            {
                first ??= table.Column(n)?.Name;
                return null;
            });
        }

        return first is null ? [] : [first];
    }
}
