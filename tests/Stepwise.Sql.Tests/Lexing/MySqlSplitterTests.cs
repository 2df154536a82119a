using Stepwise.Sql.Lexing;

namespace Stepwise.Sql.Tests.Lexing;

public class MySqlSplitterTests
{
    private const SqlDialect My = SqlDialect.MySql;

    [Fact]
    public void Trigger_between_delimiter_lines_is_one_statement()
    {
        const string trigger = """
            CREATE TRIGGER users_bi BEFORE INSERT ON users
            FOR EACH ROW
            BEGIN
              IF NEW.email IS NULL THEN
                SET NEW.email = '';
              END IF;
              SET NEW.created_at = NOW();
            END
            """;
        var text = "DROP TRIGGER IF EXISTS users_bi;\nDELIMITER $$\n" + trigger + "$$\nDELIMITER ;\nSELECT 1;\n";
        var result = Lexed.Split(text, My);
        Assert.Equal(["DROP TRIGGER IF EXISTS users_bi", trigger, "SELECT 1"], Lexed.Texts(text, result));
        Assert.Equal(TokenKind.CustomTerminator, result.Tokens[result.Statements[1].Terminator].Kind);
        Assert.Empty(result.Issues);
    }

    [Fact]
    public void Ef_core_procedure_script_with_slash_delimiter_splits_like_the_client()
    {
        const string text = """
            DROP PROCEDURE IF EXISTS `POMELO_BEFORE_DROP_PRIMARY_KEY`;
            DELIMITER //
            CREATE PROCEDURE `POMELO_BEFORE_DROP_PRIMARY_KEY`(IN `SCHEMA_NAME_ARGUMENT` VARCHAR(255), IN `TABLE_NAME_ARGUMENT` VARCHAR(255))
            BEGIN
            	DECLARE HAS_AUTO_INCREMENT_ID TINYINT(1);
            	SELECT COUNT(*) INTO HAS_AUTO_INCREMENT_ID FROM `information_schema`.`COLUMNS`
            	WHERE `TABLE_SCHEMA` = SCHEMA_NAME_ARGUMENT AND `Extra` = 'auto_increment';
            	IF HAS_AUTO_INCREMENT_ID THEN
            		PREPARE SET_COLUMN_TYPE FROM @SQL_EXP;
            		EXECUTE SET_COLUMN_TYPE;
            		DEALLOCATE PREPARE SET_COLUMN_TYPE;
            	END IF;
            END //
            DELIMITER ;

            START TRANSACTION;
            CREATE TABLE `Blogs` (`Id` int NOT NULL AUTO_INCREMENT, CONSTRAINT `PK_Blogs` PRIMARY KEY (`Id`)) CHARACTER SET=utf8mb4;
            INSERT INTO `__EFMigrationsHistory` (`MigrationId`, `ProductVersion`) VALUES ('20240101000000_Initial', '8.0.0');
            COMMIT;
            """;
        var statements = Lexed.Statements(text, My);
        Assert.Equal(6, statements.Length);
        Assert.StartsWith("CREATE PROCEDURE", statements[1], StringComparison.Ordinal);
        Assert.EndsWith("END IF;\nEND", statements[1], StringComparison.Ordinal);
        Assert.Equal("START TRANSACTION", statements[2]);
        Assert.Equal("COMMIT", statements[5]);
    }

    [Fact]
    public void Mysqldump_double_semicolon_delimiter_keeps_single_semicolons_inside()
    {
        const string text = "DELIMITER ;;\n/*!50003 CREATE*/ /*!50003 TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; SET NEW.b = 2; END */;;\nDELIMITER ;\n";
        Assert.Equal(
            ["/*!50003 CREATE*/ /*!50003 TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; SET NEW.b = 2; END */"],
            Lexed.Statements(text, My));
    }

    [Fact]
    public void Conditional_comment_statement_is_a_statement()
    {
        const string text = "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n/*!40101 SET NAMES utf8mb4 */;\nCREATE TABLE t (a int);";
        Assert.Equal(
            ["/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */", "/*!40101 SET NAMES utf8mb4 */", "CREATE TABLE t (a int)"],
            Lexed.Statements(text, My));
    }

    [Fact]
    public void Start_transaction_and_commit_are_separate_statements()
    {
        Assert.Equal(
            ["START TRANSACTION", "ALTER TABLE `t` ADD `c` int NULL", "COMMIT"],
            Lexed.Statements("START TRANSACTION;\nALTER TABLE `t` ADD `c` int NULL;\nCOMMIT;\n", My));
    }

    [Fact]
    public void Procedure_without_delimiter_keeps_its_body_together()
    {
        const string proc = """
            CREATE DEFINER=`root`@`localhost` PROCEDURE p(IN n INT)
            BEGIN
              DECLARE i INT DEFAULT 0;
              lbl: WHILE i < n DO
                SET i = i + 1;
              END WHILE lbl;
              CASE n WHEN 1 THEN SELECT 'one'; ELSE BEGIN SELECT 'many'; END; END CASE;
              SELECT IF(n > 1, 'a', 'b'), CASE WHEN n > 2 THEN 1 END;
              REPEAT SET i = i - 1; UNTIL i = 0 END REPEAT;
            END
            """;
        Assert.Equal([proc, "CALL p(3)"], Lexed.Statements(proc + ";\nCALL p(3);", My));
    }

    [Fact]
    public void Mariadb_anonymous_block_is_one_statement()
    {
        Assert.Equal(
            ["BEGIN NOT ATOMIC DECLARE x INT; SET x = 1; END", "SELECT 1"],
            Lexed.Statements("BEGIN NOT ATOMIC DECLARE x INT; SET x = 1; END; SELECT 1;", My));
    }

    [Fact]
    public void Begin_as_transaction_start_is_its_own_statement()
    {
        Assert.Equal(["BEGIN", "UPDATE t SET a = 1", "COMMIT"], Lexed.Statements("BEGIN; UPDATE t SET a = 1; COMMIT;", My));
    }

    [Fact]
    public void Delimiter_line_after_a_statement_missing_its_terminator_is_part_of_it_and_reported()
    {
        // The mysql/mariadb client recognises DELIMITER only at a statement start, so it sends
        // "DROP TRIGGER IF EXISTS t\nDELIMITER $$\nCREATE TRIGGER … SET NEW.a = 1" as one statement.
        const string text = "DROP TRIGGER IF EXISTS t\nDELIMITER $$\nCREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.a = 1;\nSELECT 1;";
        var result = Lexed.Split(text, My);
        Assert.Equal(
            ["DROP TRIGGER IF EXISTS t\nDELIMITER $$\nCREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.a = 1", "SELECT 1"],
            Lexed.Texts(text, result));
        Assert.Contains("lacks its terminator", Assert.Single(result.Issues).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Delimiter_without_argument_is_reported()
    {
        var result = Lexed.Split("DELIMITER\nSELECT 1;", My);
        Assert.Equal(["SELECT 1"], Lexed.Texts("DELIMITER\nSELECT 1;", result));
        Assert.Contains("DELIMITER must be followed", Assert.Single(result.Issues).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_and_dash_comments_are_not_statements()
    {
        Assert.Equal(["SELECT 1", "SELECT 2"], Lexed.Statements("# one\nSELECT 1; -- two\nSELECT 2; #three", My));
    }

    [Fact]
    public void Backslash_escaped_quote_hides_a_semicolon()
    {
        Assert.Equal(
            [@"INSERT INTO t VALUES ('a\'; b')", "SELECT 1"],
            Lexed.Statements(@"INSERT INTO t VALUES ('a\'; b'); SELECT 1;", My));
    }

    [Fact]
    public void Drizzle_breakpoint_works_although_it_is_not_a_mysql_comment()
    {
        const string text = "CREATE TABLE `a` (`id` int);--> statement-breakpoint\nCREATE TABLE `b` (`id` int)\n--> statement-breakpoint\nALTER TABLE `b` ADD `x` int;";
        Assert.Equal(
            ["CREATE TABLE `a` (`id` int)", "CREATE TABLE `b` (`id` int)", "ALTER TABLE `b` ADD `x` int"],
            Lexed.Statements(text, My, new SplitOptions { BreakpointComment = "--> statement-breakpoint" }));
    }

    [Fact]
    public void Delimiter_with_a_backslash_is_reported_and_ignored()
    {
        const string text = "DELIMITER \\\\\nSELECT 1;";
        var result = Lexed.Split(text, My);
        Assert.Equal(["SELECT 1"], Lexed.Texts(text, result));
        Assert.Contains("backslash", Assert.Single(result.Issues).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unterminated_quoted_variable_is_reported()
    {
        var result = Lexed.Split("SET @'abc = 1;", My);
        Assert.Single(result.Statements);
        Assert.Contains("quoted variable name", Assert.Single(result.Issues).Message, StringComparison.Ordinal);
    }
}
