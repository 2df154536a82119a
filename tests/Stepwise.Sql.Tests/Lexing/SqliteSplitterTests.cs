using Stepwise.Sql.Lexing;

namespace Stepwise.Sql.Tests.Lexing;

public class SqliteSplitterTests
{
    private const SqlDialect Lite = SqlDialect.Sqlite;

    [Fact]
    public void Trigger_body_with_semicolons_is_one_statement()
    {
        const string trigger = """
            CREATE TRIGGER orders_au AFTER UPDATE ON orders
            FOR EACH ROW WHEN NEW.status <> OLD.status
            BEGIN
              INSERT INTO audit (order_id, note) VALUES (NEW.id, CASE WHEN NEW.status = 'x' THEN 'cancelled' ELSE 'changed' END);
              UPDATE orders SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
            END
            """;
        var text = "CREATE TABLE audit (order_id INTEGER, note TEXT);\n" + trigger + ";\nDROP TABLE old;";
        Assert.Equal(["CREATE TABLE audit (order_id INTEGER, note TEXT)", trigger, "DROP TABLE old"], Lexed.Statements(text, Lite));
    }

    [Fact]
    public void Temp_trigger_with_if_not_exists_is_one_statement()
    {
        const string trigger = "CREATE TEMP TRIGGER IF NOT EXISTS t BEFORE DELETE ON x BEGIN SELECT RAISE(ABORT, 'no'); END";
        Assert.Equal([trigger, "SELECT 1"], Lexed.Statements(trigger + "; SELECT 1;", Lite));
    }

    [Fact]
    public void Column_named_end_does_not_close_a_trigger_body()
    {
        const string trigger = "CREATE TRIGGER t AFTER INSERT ON x BEGIN UPDATE y SET end = NEW.end WHERE id = end; END";
        Assert.Equal([trigger, "SELECT 1"], Lexed.Statements(trigger + "; SELECT 1;", Lite));
    }

    [Fact]
    public void Trigger_body_missing_its_last_semicolon_still_ends_at_end()
    {
        const string trigger = "CREATE TRIGGER t AFTER INSERT ON x BEGIN DELETE FROM y END";
        Assert.Equal([trigger, "SELECT 1"], Lexed.Statements(trigger + "; SELECT 1;", Lite));
    }

    [Fact]
    public void Begin_transaction_outside_a_trigger_is_its_own_statement()
    {
        Assert.Equal(
            ["BEGIN TRANSACTION", "CREATE TABLE t (a)", "COMMIT"],
            Lexed.Statements("BEGIN TRANSACTION; CREATE TABLE t (a); COMMIT;", Lite));
    }

    [Fact]
    public void Bracket_and_backtick_identifiers_hide_semicolons()
    {
        Assert.Equal(
            ["CREATE TABLE [a;b] (`c;d` TEXT, \"e;f\" INT)", "SELECT 1"],
            Lexed.Statements("CREATE TABLE [a;b] (`c;d` TEXT, \"e;f\" INT); SELECT 1;", Lite));
    }

    [Fact]
    public void Unterminated_comment_is_trailing_trivia_without_an_issue()
    {
        var result = Lexed.Split("SELECT 1; /* the end", Lite);
        Assert.Equal(["SELECT 1"], Lexed.Texts("SELECT 1; /* the end", result));
        Assert.Empty(result.Issues);
    }

    [Fact]
    public void Unterminated_bracket_identifier_is_reported()
    {
        var result = Lexed.Split("SELECT [abc; SELECT 2;", Lite);
        Assert.Single(result.Statements);
        Assert.Contains("quoted identifier", Assert.Single(result.Issues).Message, StringComparison.Ordinal);
    }
}
