using Stepwise.Analysis.Facts;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Tests.Facts;

public sealed class DataChangesTests
{
    private static (ParsedScript Script, Statement Statement) Parse(string sql, SqlDialect dialect = SqlDialect.PostgreSql)
    {
        var script = ParsedScript.Parse(new SourceText(sql), dialect);
        return (script, script.Statements[0]);
    }

    [Fact]
    public void Cte_selecting_a_limited_batch_bounds_the_update()
    {
        var (script, s) = Parse("WITH batch AS (SELECT id FROM users WHERE x IS NULL LIMIT 1000) UPDATE users SET x = 1 FROM batch WHERE users.id = batch.id;");
        Assert.True(DataChanges.HasBoundedCte(script.Source, script.Tokens, s.FirstToken, s.EndToken));
    }

    [Fact]
    public void Cte_that_the_update_does_not_use_bounds_nothing()
    {
        var (script, s) = Parse("WITH recent AS (SELECT id FROM events LIMIT 10) UPDATE users SET x = 1;");
        Assert.False(DataChanges.HasBoundedCte(script.Source, script.Tokens, s.FirstToken, s.EndToken));
    }

    [Fact]
    public void Cte_without_limit_bounds_nothing()
    {
        var (script, s) = Parse("WITH stale AS (SELECT id FROM users WHERE x IS NULL) DELETE FROM users USING stale WHERE users.id = stale.id;");
        Assert.False(DataChanges.HasBoundedCte(script.Source, script.Tokens, s.FirstToken, s.EndToken));
    }

    [Theory]
    [InlineData("INSERT INTO new_users (id) SELECT id FROM users;", "users", true)]
    [InlineData("INSERT INTO new_users (id) SELECT id FROM public.\"users\";", "users", true)]
    [InlineData("INSERT INTO new_users (id) SELECT u.id FROM accounts a JOIN users u ON u.id = a.id;", "users", true)]
    [InlineData("INSERT INTO new_users (id) SELECT id FROM users_old;", "users", false)]
    [InlineData("INSERT INTO users (id) VALUES (1);", "users", false)]
    public void Reads_from_finds_the_source_table(string sql, string table, bool reads)
    {
        var (script, s) = Parse(sql);
        Assert.Equal(reads, DataChanges.ReadsFrom(script.Source, script.Tokens, s.FirstToken, s.EndToken, new ObjectName(null, table, default), SqlDialect.PostgreSql));
    }

    [Fact]
    public void Equality_on_id_bounds_when_the_history_knows_only_plain_indexes()
    {
        var table = new Stepwise.Analysis.Schema.TableModel("users", "0001");
        table.Constraints.Add(new Stepwise.Analysis.Schema.ConstraintModel("idx_users_email", ConstraintKind.Index, ["email"], true, null, null, "0001"));
        var update = Assert.IsType<UpdateStatement>(Parse("UPDATE users SET x = 1 WHERE id = 1;").Statement);
        Assert.True(DataChanges.IsBounded(update.Where, update.HasLimit, table));
        var byEmail = Assert.IsType<UpdateStatement>(Parse("UPDATE users SET x = 1 WHERE email = 'a@b.c';").Statement);
        Assert.False(DataChanges.IsBounded(byEmail.Where, byEmail.HasLimit, table));
    }

    [Fact]
    public void Quoted_names_compare_case_insensitively_on_mysql()
    {
        var (script, s) = Parse("INSERT INTO t2 SELECT * FROM `Users`;", SqlDialect.MySql);
        Assert.True(DataChanges.ReadsFrom(script.Source, script.Tokens, s.FirstToken, s.EndToken, new ObjectName(null, "users", default), SqlDialect.MySql));
    }
}
