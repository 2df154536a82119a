using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Stepwise.MySql;

/// <summary>The SQL text the expand/contract planner writes: quoting, names of its objects, column definitions rebuilt
/// from the catalog, expressions rewritten onto NEW.*, and statements guarded by information_schema (MySQL has no
/// IF [NOT] EXISTS for most ALTER actions; MariaDB has some, MySQL 8 few), so every step can run again.</summary>
internal static partial class MySqlExpandContractText
{
    public static string Q(string identifier) => "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";

    /// <summary>A table in key form (`schema.name` or `name`) quoted.</summary>
    public static string Table(string table)
    {
        var (schema, name) = MySqlExpandContractCatalog.Split(table);
        return schema is null ? Q(name) : Q(schema) + "." + Q(name);
    }

    public static string Literal(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>The schema predicate for information_schema: the table's schema or the current database.</summary>
    private static string SchemaIs(string column, string table)
    {
        var (schema, _) = MySqlExpandContractCatalog.Split(table);
        return $"{column} = {(schema is null ? "DATABASE()" : Literal(schema))}";
    }

    public static string ColumnExists(string table, string column) =>
        $"EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE {SchemaIs("TABLE_SCHEMA", table)} AND TABLE_NAME = {Literal(MySqlExpandContractCatalog.Split(table).Name)} AND COLUMN_NAME = {Literal(column)})";

    public static string ColumnNullable(string table, string column) =>
        $"EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE {SchemaIs("TABLE_SCHEMA", table)} AND TABLE_NAME = {Literal(MySqlExpandContractCatalog.Split(table).Name)} AND COLUMN_NAME = {Literal(column)} AND IS_NULLABLE = 'YES')";

    public static string IndexExists(string table, string index) =>
        $"EXISTS (SELECT 1 FROM information_schema.STATISTICS WHERE {SchemaIs("TABLE_SCHEMA", table)} AND TABLE_NAME = {Literal(MySqlExpandContractCatalog.Split(table).Name)} AND INDEX_NAME = {Literal(index)})";

    public static string TableExists(string table, string? type = null) =>
        $"EXISTS (SELECT 1 FROM information_schema.TABLES WHERE {SchemaIs("TABLE_SCHEMA", table)} AND TABLE_NAME = {Literal(MySqlExpandContractCatalog.Split(table).Name)}{(type is null ? string.Empty : " AND TABLE_TYPE = " + Literal(type))})";

    /// <summary>Runs <paramref name="statement"/> only when <paramref name="condition"/> holds: a prepared statement built
    /// in a user variable (AllowUserVariables is on for the engine's connections). Works inside LOCK TABLES too:
    /// information_schema needs no table lock. Four statements, run in order on one session.</summary>
    public static IEnumerable<string> Guarded(string condition, string statement) =>
    [
        $"SET @_sw_stmt = IF({condition}, {Literal(statement)}, 'DO 0')",
        "PREPARE _sw_stmt FROM @_sw_stmt",
        "EXECUTE _sw_stmt",
        "DEALLOCATE PREPARE _sw_stmt",
    ];

    /// <summary>A name of an object this migration creates: <c>_sw_&lt;id&gt;_&lt;rest&gt;</c>, cut to 64 characters with
    /// a short hash of the whole when longer (MySQL's identifier limit).</summary>
    public static string Name(string id, string rest)
    {
        var name = $"_sw_{id}_{rest}";
        if (name.Length <= 64)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        return name[..55] + "_" + hash;
    }

    /// <summary>The column's definition after its name, rebuilt from the catalog (type, collation, nullability,
    /// default, ON UPDATE, comment).</summary>
    public static string Definition(EcColumn column, bool? notNull = null, bool withDefault = true)
    {
        var sb = new StringBuilder(column.ColumnType);
        if (column.Collation is not null)
        {
            sb.Append(" COLLATE ").Append(column.Collation);
        }

        sb.Append((notNull ?? !column.Nullable) ? " NOT NULL" : " NULL");
        if (withDefault && column.Default is not null)
        {
            sb.Append(" DEFAULT ").Append(DefaultExpression(column.Default));
        }

        var onUpdate = OnUpdate().Match(column.Extra);
        if (onUpdate.Success)
        {
            sb.Append(' ').Append(onUpdate.Value);
        }

        if (column.Comment.Length > 0)
        {
            sb.Append(" COMMENT ").Append(Literal(column.Comment));
        }

        return sb.ToString();
    }

    /// <summary>A COLUMN_DEFAULT as a DEFAULT clause accepts it: literals and CURRENT_TIMESTAMP as they are, any other
    /// expression in parentheses.</summary>
    public static string DefaultExpression(string value) =>
        value.StartsWith('\'') || value.StartsWith('(') || SimpleDefault().IsMatch(value) ? value : "(" + value + ")";

    /// <summary>The value MySQL gives a NOT NULL column without a DEFAULT that an INSERT leaves out (non-strict
    /// mode's implicit default), used to fill a dropped column for the new release's inserts.</summary>
    public static string ImplicitDefault(EcColumn column) => column.DataType.ToLowerInvariant() switch
    {
        "tinyint" or "smallint" or "mediumint" or "int" or "integer" or "bigint" or "decimal" or "numeric" or "float" or "double" or "real" or "bit" or "year" => "0",
        "date" => "'1970-01-01'",
        "datetime" or "timestamp" => "'1970-01-01 00:00:01'",
        "time" => "'00:00:00'",
        "enum" => FirstEnumValue().Match(column.ColumnType) is { Success: true } m ? m.Groups[1].Value : "''",
        _ => "''",
    };

    /// <summary>The DEFAULT of a column definition as written (e.g. <c>BIGINT NOT NULL DEFAULT 0</c> → <c>0</c>), and the
    /// definition without it; null when there is none.</summary>
    public static (string WithoutDefault, string? Default) SplitDefault(string definition)
    {
        var m = DefaultClause().Match(definition);
        return m.Success ? ((definition[..m.Index] + definition[(m.Index + m.Length)..]).Trim(), m.Groups["v"].Value) : (definition, null);
    }

    public static bool DefinitionIsNotNull(string definition) => NotNullClause().IsMatch(definition);

    /// <summary>Rewrites an expression written over a table's columns (a fill, a USING, an old-value mapping) onto the
    /// trigger's row: each bare or back-quoted column name that is not a function name or qualified becomes
    /// <c>NEW.`name`</c>. String literals are left alone.</summary>
    public static string OnNewRow(string expression, IEnumerable<string> columns)
    {
        var names = new HashSet<string>(columns, StringComparer.OrdinalIgnoreCase);
        return Identifier().Replace(expression, m =>
        {
            if (m.Groups["str"].Success)
            {
                return m.Value;
            }

            var name = m.Groups["q"].Success ? m.Groups["q"].Value.Replace("``", "`", StringComparison.Ordinal) : m.Groups["w"].Value;
            var index = m.Index;
            var before = index > 0 ? expression[index - 1] : ' ';
            var after = expression[(index + m.Length)..].TrimStart();
            return names.Contains(name) && before != '.' && !after.StartsWith('(') ? "NEW." + Q(name) : m.Value;
        });
    }

    [GeneratedRegex(@"(?i)on update [a-z_]+(\(\d*\))?")]
    private static partial Regex OnUpdate();

    [GeneratedRegex(@"^(?i)(-?[0-9.]+|NULL|current_timestamp(\(\d*\))?|b'[01]*')$")]
    private static partial Regex SimpleDefault();

    [GeneratedRegex(@"^enum\(('(?:[^']|'')*')")]
    private static partial Regex FirstEnumValue();

    [GeneratedRegex(@"(?i)\bDEFAULT\s+(?<v>'(?:[^'\\]|''|\\.)*'|\((?:[^()]|\([^()]*\))*\)|[a-z_]+\(\d*\)|[^\s,]+)")]
    private static partial Regex DefaultClause();

    [GeneratedRegex(@"(?i)\bNOT\s+NULL\b")]
    private static partial Regex NotNullClause();

    [GeneratedRegex(@"(?<str>'(?:[^'\\]|''|\\.)*')|`(?<q>(?:[^`]|``)+)`|\b(?<w>[A-Za-z_][A-Za-z0-9_$]*)\b")]
    private static partial Regex Identifier();
}
