using Stepwise.Sql.Lexing;

namespace Stepwise.Sql.Tests.Lexing;

public class PostgreSqlSplitterTests
{
    private const SqlDialect Pg = SqlDialect.PostgreSql;

    [Fact]
    public void Statements_split_at_semicolons_without_terminator_or_surrounding_trivia()
    {
        const string text = "-- add column\nALTER TABLE users ADD COLUMN a TEXT;  /* why */\n\nCREATE INDEX i ON users (a) ;\n";
        Assert.Equal(
            ["ALTER TABLE users ADD COLUMN a TEXT", "CREATE INDEX i ON users (a)"],
            Lexed.Statements(text, Pg));
    }

    [Fact]
    public void Statement_indices_point_at_its_tokens_and_terminator()
    {
        const string text = " SELECT 1 ; SELECT 2";
        var result = Lexed.Split(text, Pg);
        var first = result.Statements[0];
        Assert.Equal(TokenKind.Word, result.Tokens[first.FirstToken].Kind);
        Assert.Equal(TokenKind.Semicolon, result.Tokens[first.Terminator].Kind);
        Assert.Equal(TokenKind.Number, result.Tokens[first.EndToken - 1].Kind);
        Assert.Equal(-1, result.Statements[1].Terminator);
    }

    [Fact]
    public void Empty_statements_are_skipped()
    {
        Assert.Equal(["SELECT 1", "SELECT 2"], Lexed.Statements(";; SELECT 1;; -- c\n ; /* x */ ; SELECT 2;;", Pg));
    }

    [Fact]
    public void Only_trivia_gives_no_statements()
    {
        Assert.Empty(Lexed.Split("  -- just a comment\n/* and another */\n", Pg).Statements);
    }

    [Fact]
    public void Seed_batching_do_block_is_one_statement()
    {
        const string doBlock = """
            DO $$
            DECLARE
            batch_size INT := 10000;
            rows_updated INT;
            BEGIN
            LOOP
            UPDATE users
            SET normalized_email = LOWER(email)
            WHERE id IN (
            SELECT id FROM users
            WHERE normalized_email IS NULL
            LIMIT batch_size
            FOR UPDATE SKIP LOCKED
            );
            GET DIAGNOSTICS rows_updated = ROW_COUNT;
            RAISE NOTICE 'Updated % rows', rows_updated;
            EXIT WHEN rows_updated = 0;
            COMMIT;
            END LOOP;
            END $$
            """;
        var text = "-- GOOD: Batch update with progress\n" + doBlock + ";\nUPDATE users SET a = 1;";
        Assert.Equal([doBlock, "UPDATE users SET a = 1"], Lexed.Statements(text, Pg));
    }

    [Fact]
    public void Transaction_statements_at_top_level_are_separate()
    {
        Assert.Equal(
            ["BEGIN", "UPDATE t SET a = 1", "COMMIT"],
            Lexed.Statements("BEGIN;\nUPDATE t SET a = 1;\nCOMMIT;\n", Pg));
    }

    [Fact]
    public void Function_with_dollar_quoted_body_is_one_statement()
    {
        const string fn = "CREATE OR REPLACE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $fn$\nBEGIN\n  NEW.a := 1;\n  RETURN NEW;\nEND;\n$fn$";
        Assert.Equal([fn, "SELECT 1"], Lexed.Statements(fn + ";\nSELECT 1;", Pg));
    }

    [Fact]
    public void Begin_atomic_body_keeps_its_semicolons()
    {
        const string fn = """
            CREATE FUNCTION grade(score int) RETURNS text
                LANGUAGE sql
                BEGIN ATOMIC
                    SELECT CASE WHEN score > 90 THEN 'A' ELSE 'B' END;
                    SELECT 'x';
                END
            """;
        Assert.Equal([fn, "SELECT 2"], Lexed.Statements(fn + ";\nSELECT 2;", Pg));
    }

    [Fact]
    public void Procedure_with_begin_atomic_and_or_replace_is_one_statement()
    {
        const string proc = "CREATE OR REPLACE PROCEDURE p(a int) LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (a); UPDATE t SET b = CASE a WHEN 1 THEN 2 END; END";
        Assert.Equal([proc, "CALL p(1)"], Lexed.Statements(proc + "; CALL p(1);", Pg));
    }

    [Fact]
    public void Empty_begin_atomic_body_ends_at_end()
    {
        Assert.Equal(
            ["CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC END", "SELECT 1"],
            Lexed.Statements("CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC END; SELECT 1;", Pg));
    }

    [Fact]
    public void Column_named_end_after_a_dot_does_not_close_an_atomic_body()
    {
        const string fn = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT r.end FROM r; SELECT 1 AS end; END";
        Assert.Equal([fn, "SELECT 3"], Lexed.Statements(fn + "; SELECT 3;", Pg));
    }

    [Fact]
    public void A_function_named_begin_has_no_atomic_body()
    {
        Assert.Equal(
            ["CREATE FUNCTION begin() RETURNS int LANGUAGE sql RETURN 1", "SELECT begin()"],
            Lexed.Statements("CREATE FUNCTION begin() RETURNS int LANGUAGE sql RETURN 1; SELECT begin();", Pg));
    }

    [Fact]
    public void Semicolons_inside_parentheses_do_not_split()
    {
        const string rule = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (1); NOTIFY t)";
        Assert.Equal([rule, "SELECT 1"], Lexed.Statements(rule + ";\nSELECT 1;", Pg));
    }

    [Fact]
    public void A_stray_close_paren_does_not_make_the_depth_negative()
    {
        Assert.Equal(["SELECT 1)", "SELECT (2)"], Lexed.Statements("SELECT 1);SELECT (2);", Pg));
    }

    [Fact]
    public void Begin_inside_a_do_body_is_not_a_boundary()
    {
        Assert.Equal(
            ["DO $$ BEGIN; COMMIT; END $$", "SELECT 1"],
            Lexed.Statements("DO $$ BEGIN; COMMIT; END $$; SELECT 1;", Pg));
    }

    [Fact]
    public void Nested_comment_hides_semicolons()
    {
        Assert.Equal(
            ["SELECT /* a; /* b; */ c; */ 1"],
            Lexed.Statements("SELECT /* a; /* b; */ c; */ 1;", Pg));
    }

    [Fact]
    public void Escaped_quote_in_an_E_string_hides_semicolons()
    {
        Assert.Equal(
            [@"INSERT INTO t VALUES (E'\'; DROP TABLE t; --')", "SELECT 1"],
            Lexed.Statements(@"INSERT INTO t VALUES (E'\'; DROP TABLE t; --'); SELECT 1;", Pg));
    }

    [Fact]
    public void Meta_command_is_reported_and_ends_the_pending_statement()
    {
        const string text = "\\set ON_ERROR_STOP on\nSELECT 1\n\\gset\nSELECT 2;\n\\connect other\n";
        var result = Lexed.Split(text, Pg);
        Assert.Equal(["SELECT 1", "SELECT 2"], Lexed.Texts(text, result));
        Assert.Equal(
            [
                "psql meta-command \\set is not SQL and is ignored.",
                "psql meta-command \\gset is not SQL and is ignored.",
                "psql meta-command \\connect is not SQL and is ignored.",
            ],
            result.Issues.Select(i => i.Message));
        Assert.Equal(TokenKind.MetaCommand, result.Tokens[result.Statements[0].Terminator].Kind);
    }

    [Fact]
    public void Breakpoint_comment_ends_a_statement()
    {
        const string text = "CREATE TABLE a (id int)\n--> statement-breakpoint\nCREATE TABLE b (id int);--> statement-breakpoint\nCREATE INDEX i ON b (id);";
        var result = Lexed.Split(text, Pg, new SplitOptions { BreakpointComment = "--> statement-breakpoint" });
        Assert.Equal(
            ["CREATE TABLE a (id int)", "CREATE TABLE b (id int)", "CREATE INDEX i ON b (id)"],
            Lexed.Texts(text, result));
        Assert.Equal(TokenKind.LineComment, result.Tokens[result.Statements[0].Terminator].Kind);
    }

    [Fact]
    public void Breakpoint_comment_is_an_ordinary_comment_without_the_option()
    {
        Assert.Single(Lexed.Split("SELECT 1\n--> statement-breakpoint\n, 2", Pg).Statements);
    }

    [Fact]
    public void Unterminated_string_is_reported_and_the_rest_joins_the_last_statement()
    {
        const string text = "SELECT 1; INSERT INTO t VALUES ('oops); SELECT 2;";
        var result = Lexed.Split(text, Pg);
        Assert.Equal(["SELECT 1", "INSERT INTO t VALUES ('oops); SELECT 2;"], Lexed.Texts(text, result));
        var issue = Assert.Single(result.Issues);
        Assert.Contains("Unterminated string literal", issue.Message, StringComparison.Ordinal);
        Assert.Equal(text.IndexOf('\'', StringComparison.Ordinal), issue.Span.Start);
    }

    [Fact]
    public void Unterminated_dollar_quote_names_its_tag()
    {
        var result = Lexed.Split("DO $body$ BEGIN NULL; END $bod$;", Pg);
        Assert.Contains("dollar-quoted string $body$", Assert.Single(result.Issues).Message, StringComparison.Ordinal);
        Assert.Single(result.Statements);
    }

    [Fact]
    public void Unterminated_comment_is_reported_and_kept_in_the_open_statement()
    {
        const string text = "SELECT 1 /* never closed; SELECT 2;";
        var result = Lexed.Split(text, Pg);
        Assert.Equal([text], Lexed.Texts(text, result));
        Assert.Contains("Unterminated block comment", Assert.Single(result.Issues).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_parenthesis_is_reported()
    {
        var result = Lexed.Split("SELECT (1; SELECT 2;", Pg);
        Assert.Single(result.Statements);
        Assert.Contains("'('", Assert.Single(result.Issues).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_input_gives_an_empty_result()
    {
        var result = StatementSplitter.Split(null!, Pg);
        Assert.Empty(result.Tokens);
        Assert.Empty(result.Statements);
    }

    [Fact]
    public void Copy_data_is_left_out_of_the_statements_and_reported()
    {
        const string text = "COPY t FROM STDIN WITH (FORMAT csv);\r\n1,\"a;b\"\r\n\\.\r\nSELECT 1;";
        var result = Lexed.Split(text, Pg);
        Assert.Equal(["COPY t FROM STDIN WITH (FORMAT csv)", "SELECT 1"], Lexed.Texts(text, result));
        Assert.Contains("COPY data", Assert.Single(result.Issues).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Copy_data_without_its_end_marker_is_reported_as_unterminated()
    {
        var result = Lexed.Split("COPY t FROM stdin;\n1\t2\nSELECT 1;", Pg);
        Assert.Single(result.Statements);
        Assert.Contains(result.Issues, i => i.Message.StartsWith("Unterminated COPY data", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("copy t from stdout;\n1\tbaz\n\\.\nselect 1;")]
    [InlineData("\\copy t from stdin\n'New York'\tnyc\n\\.\nselect 1;")]
    public void Client_side_copy_data_is_not_sql(string text)
    {
        Assert.Equal("select 1", Lexed.Statements(text, Pg)[^1]);
    }

    [Fact]
    public void Stdin_inside_a_copy_query_does_not_start_data()
    {
        Assert.Equal(
            ["COPY (SELECT * FROM stdin) TO STDOUT", "SELECT 1"],
            Lexed.Statements("COPY (SELECT * FROM stdin) TO STDOUT;\nSELECT 1;", Pg));
    }
}
