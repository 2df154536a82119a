using Stepwise.Sql.Syntax;

namespace Stepwise.Sql.Tests.Syntax;

/// <summary>The parser never throws and keeps every statement inside the input, on random and mutated SQL.</summary>
public sealed class ParserFuzzTests
{
    private static readonly string[] Seeds =
    [
        "CREATE TABLE t (id bigint PRIMARY KEY, a text NOT NULL DEFAULT 'x', b int REFERENCES u (id), CHECK (b > 0));",
        "ALTER TABLE t ADD COLUMN c int NOT NULL, ALTER COLUMN a TYPE varchar(10) USING a::varchar, ADD CONSTRAINT k UNIQUE USING INDEX i;",
        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t USING gin (lower(a)) WHERE b IS NULL;",
        "DO $$ DECLARE n int; BEGIN LOOP UPDATE t SET a = 1 WHERE id IN (SELECT id FROM t LIMIT 10); EXIT WHEN NOT FOUND; COMMIT; END LOOP; END $$;",
        "WITH x AS (SELECT 1) UPDATE t SET a = b FROM x WHERE t.id > 1 AND t.id <= 100; DELETE FROM t WHERE id = 1;",
        "ALTER TABLE `t` MODIFY `a` VARCHAR(64) NOT NULL, CHANGE b c INT, ALGORITHM=INPLACE, LOCK=NONE; RENAME TABLE a TO b;",
        "CREATE FUNCTION f() RETURNS trigger AS $f$ BEGIN NEW.x := now(); RETURN NEW; END $f$ LANGUAGE plpgsql;",
        "BEGIN; SET lock_timeout = '1s'; VACUUM (FULL) t; CLUSTER t USING i; LOCK TABLE t; ALTER TYPE e ADD VALUE 'v'; COMMIT;",
    ];

    [Fact]
    public void Parser_survives_mutated_and_random_sql()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("STEPWISE_FUZZ_SEED"), out var s) ? s : 20261125;
        var random = new Random(seed);
        const string alphabet = "()(),;;'\"$$`-/*\\ \n\tabcxyzSELECTALTERTABLEADDCOLUMNDOBEGINENDLOOPCOMMIT0123456789.=<>[]";
        var dialects = new[] { SqlDialect.PostgreSql, SqlDialect.MySql, SqlDialect.Sqlite };
        for (var i = 0; i < 20_000; i++)
        {
            string input;
            if (i % 3 == 0)
            {
                var chars = new char[random.Next(0, 200)];
                for (var k = 0; k < chars.Length; k++)
                {
                    chars[k] = alphabet[random.Next(alphabet.Length)];
                }

                input = new string(chars);
            }
            else
            {
                var text = Seeds[random.Next(Seeds.Length)];
                for (var m = random.Next(1, 6); m > 0 && text.Length > 0; m--)
                {
                    var at = random.Next(text.Length);
                    var len = Math.Min(random.Next(1, 12), text.Length - at);
                    text = random.Next(3) switch
                    {
                        0 => text.Remove(at, len),
                        1 => text.Insert(at, text.Substring(random.Next(text.Length - len + 1), len)),
                        _ => text.Insert(at, alphabet[random.Next(alphabet.Length)].ToString()),
                    };
                }

                input = text;
            }

            var dialect = dialects[i % dialects.Length];
            ParsedScript script;
            try
            {
                script = ParsedScript.Parse(new SourceText(input, "fuzz.sql"), dialect);
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed}, input #{i} ({dialect}) threw {ex.GetType().Name}: {ex.Message}\ninput: {input}");
                return;
            }

            foreach (var statement in script.AllStatements())
            {
                Assert.True(statement.Span.Start >= 0 && statement.Span.End <= input.Length, $"seed {seed}, input #{i}: span {statement.Span} outside input\ninput: {input}");
            }
        }
    }
}
