using Stepwise.Analysis.Reporting;
using Stepwise.Sql;

namespace Stepwise.Analysis.Tests;

/// <summary>`-- stepwise:expand-contract` files are linted for what will really run: no finding for what the plan
/// makes safe, an invalid-expand-contract error naming why for what it certainly cannot run.</summary>
public sealed class ExpandContractDirectiveTests
{
    private const string History = """
        CREATE TABLE users (id bigint PRIMARY KEY, username text NOT NULL, email text, age integer);
        CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, quantity integer NOT NULL, total numeric);
        CREATE TABLE legacy (id bigint PRIMARY KEY);
        """;

    private const string SqliteHistory = """
        CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL DEFAULT '', email TEXT, age INTEGER);
        CREATE TABLE legacy (id INTEGER PRIMARY KEY);
        """;

    private static List<Finding> Lint(string text, SqlDialect dialect = SqlDialect.PostgreSql, string? history = null)
    {
        var inputs = new List<LintInput>
        {
            new(new SourceText(history ?? (dialect == SqlDialect.Sqlite ? SqliteHistory : History), "0001_create.up.sql")),
            new(new SourceText(text, "0002_change.up.sql")),
        };
        var report = Linter.Lint(inputs, new LintOptions { Dialect = dialect });
        return [.. report.Findings.Where(f => f.Path == "0002_change.up.sql")];
    }

    public static TheoryData<string, string, SqlDialect> MadeSafe => new()
    {
        { "ALTER TABLE users RENAME COLUMN username TO display_name;", "rename-column", SqlDialect.PostgreSql },
        { "ALTER TABLE users RENAME TO accounts;", "rename-table", SqlDialect.PostgreSql },
        { "ALTER TABLE orders ALTER COLUMN quantity TYPE bigint;", "changing-column-type", SqlDialect.PostgreSql },
        { "ALTER TABLE users ALTER COLUMN email SET NOT NULL;", "set-not-null", SqlDialect.PostgreSql },
        { "-- stepwise:fill tier = 1\nALTER TABLE users ADD COLUMN tier int NOT NULL;", "adding-required-column", SqlDialect.PostgreSql },
        { "ALTER TABLE users DROP COLUMN age;", "drop-column", SqlDialect.PostgreSql },
        { "DROP TABLE legacy;", "drop-table", SqlDialect.PostgreSql },
        { "CREATE INDEX users_email ON users (email);", "non-concurrent-index", SqlDialect.PostgreSql },
        { "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);", "constraint-missing-not-valid", SqlDialect.PostgreSql },
        { "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0);", "constraint-missing-not-valid", SqlDialect.PostgreSql },
        { "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);", "adding-unique-constraint", SqlDialect.PostgreSql },
        { "ALTER TABLE users RENAME COLUMN username TO display_name;", "rename-column", SqlDialect.MySql },
        { "ALTER TABLE orders MODIFY quantity bigint NOT NULL;", "changing-column-type", SqlDialect.MySql },
        { "ALTER TABLE users RENAME COLUMN username TO display_name;", "rename-column", SqlDialect.Sqlite },
        { "ALTER TABLE users DROP COLUMN age;", "drop-column", SqlDialect.Sqlite },
    };

    [Theory]
    [MemberData(nameof(MadeSafe))]
    public void A_statement_the_plan_makes_safe_has_no_finding_with_the_directive_and_one_without(string sql, string rule, SqlDialect dialect)
    {
        Assert.Contains(Lint(sql, dialect), f => f.Rule == rule); // the rule does fire on the plain file
        var findings = Lint("-- stepwise:expand-contract\n" + sql, dialect);
        Assert.DoesNotContain(findings, f => f.Rule == rule);
        Assert.DoesNotContain(findings, f => f.Severity == Severity.Error);
    }

    [Fact]
    public void Other_rules_still_fire_in_a_directive_file()
    {
        var findings = Lint("-- stepwise:expand-contract\nLOCK TABLE users IN ACCESS EXCLUSIVE MODE;\nALTER TABLE users RENAME COLUMN username TO display_name;");
        Assert.Contains(findings, f => f.Rule == "lock-table");
        Assert.DoesNotContain(findings, f => f.Rule == "rename-column");
    }

    [Theory]
    [InlineData("-- stepwise:expand-contract\nBEGIN;\nALTER TABLE users RENAME COLUMN username TO display_name;\nCOMMIT;", "transactions of its own", 2)]
    [InlineData("-- stepwise:expand-contract\nALTER TABLE users RENAME COLUMN username TO display_name;\nUPDATE users SET email = lower(email);", "changes data", 1)]
    [InlineData("-- stepwise:expand-contract\nDELETE FROM legacy;\nDROP TABLE legacy;", "changes data", 1)]
    [InlineData("-- stepwise:expand-contract\nINSERT INTO legacy VALUES (1);", "changes data", 1)]
    [InlineData("-- stepwise:expand-contract\n-- stepwise:no-transaction\nCREATE INDEX users_email ON users (email);", "stepwise:no-transaction", 1)]
    [InlineData("-- stepwise:expand-contract\n-- stepwise:backfill\nALTER TABLE users DROP COLUMN age;", "stepwise:backfill", 1)]
    [InlineData("-- stepwise:expand-contract\n-- stepwise:colour red\nALTER TABLE users DROP COLUMN age;", "unknown line `-- stepwise:colour`", 1)]
    [InlineData("-- stepwise:expand-contract\n-- stepwise:fill role\nALTER TABLE users ADD COLUMN role text NOT NULL;", "COLUMN = EXPRESSION", 2)]
    [InlineData("-- stepwise:expand-contract\nALTER TABLE users ADD COLUMN role text NOT NULL;", "no `-- stepwise:fill role = EXPR` line", 1)]
    [InlineData("-- stepwise:expand-contract fast\nALTER TABLE users DROP COLUMN age;", "takes no options", 1)]
    [InlineData("-- why\n-- stepwise:expand-contract\nALTER TABLE users DROP COLUMN age;", "must be the file's first line", 1)]
    [InlineData("-- stepwise:expand-contracts\nALTER TABLE users DROP COLUMN age;", "unknown directive", 1)]
    public void Refuses_what_the_plan_certainly_cannot_run_naming_why(string text, string reason, int count)
    {
        var errors = Lint(text).Where(f => f.Rule == Linter.InvalidExpandContractRule).ToList();
        Assert.True(errors.Count == count, $"expected {count} invalid-expand-contract, got: {string.Join(" | ", errors.Select(e => e.Message))}");
        Assert.Contains(errors, e => e.Message.Contains(reason, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Equal(Severity.Error, e.Severity));
        Assert.All(errors, e => Assert.Contains("stepwise explain invalid-expand-contract", e.Help, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("-- stepwise:expand-contract\nALTER TABLE users ALTER COLUMN age TYPE bigint;", "no ALTER COLUMN … TYPE")]
    [InlineData("-- stepwise:expand-contract\nALTER TABLE users ALTER COLUMN email SET NOT NULL;", "no ALTER COLUMN … SET NOT NULL")]
    [InlineData("-- stepwise:expand-contract\nALTER TABLE users ADD COLUMN role TEXT NOT NULL;", "without a non-NULL DEFAULT")]
    public void Sqlite_refuses_what_sqlite_does_not_have(string text, string reason)
    {
        var error = Assert.Single(Lint(text, SqlDialect.Sqlite), f => f.Rule == Linter.InvalidExpandContractRule);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-- stepwise:expand-contract\nALTER TABLE users ALTER COLUMN age TYPE bigint;", SqlDialect.PostgreSql)] // a key column's type change is the engine's to judge
    [InlineData("-- stepwise:expand-contract\n-- stepwise:fill role = 'member'\n-- stepwise:old-value age = CAST(age AS integer)\n-- stepwise:ignore lock-table reviewed\nALTER TABLE users ADD COLUMN role text NOT NULL;\nLOCK TABLE users;", SqlDialect.PostgreSql)]
    [InlineData("-- STEPWISE:EXPAND-CONTRACT\r\nALTER TABLE users RENAME COLUMN username TO display_name;\r\n", SqlDialect.PostgreSql)]
    [InlineData("-- stepwise:expand-contract\nALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'member';", SqlDialect.Sqlite)]
    [InlineData("-- plain file mentioning stepwise:fill in prose is not a directive file\nALTER TABLE users ADD COLUMN nick text;", SqlDialect.PostgreSql)]
    public void Does_not_refuse_what_may_run(string text, SqlDialect dialect) =>
        Assert.DoesNotContain(Lint(text, dialect), f => f.Rule == Linter.InvalidExpandContractRule);

    [Fact]
    public void Invalid_expand_contract_cannot_be_suppressed_and_has_a_doc()
    {
        Assert.Contains(Lint("-- stepwise:expand-contract\n-- stepwise:ignore-file invalid-expand-contract\nUPDATE users SET age = 1;"), f => f.Rule == Linter.InvalidExpandContractRule);
        Assert.StartsWith("# invalid-expand-contract", Stepwise.Analysis.Rules.RuleCatalog.Doc(Linter.InvalidExpandContractRule), StringComparison.Ordinal);
        Assert.Contains(Stepwise.Analysis.Rules.RuleCatalog.Infos(), i => i.Name == Linter.InvalidExpandContractRule);
    }
}
