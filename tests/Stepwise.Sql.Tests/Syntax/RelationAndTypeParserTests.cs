using Stepwise.Sql.Syntax;

namespace Stepwise.Sql.Tests.Syntax;

/// <summary>Statements that create relations or rename types, which the schema replay follows (issue 14).</summary>
public sealed class RelationAndTypeParserTests
{
    private static IReadOnlyList<Statement> Parse(string sql, SqlDialect dialect = SqlDialect.PostgreSql) => ParsedScript.Parse(new SourceText(sql, "t.sql"), dialect).Statements;

    [Fact]
    public void Views_and_materialized_views_are_read_with_their_options()
    {
        var s = Parse("CREATE MATERIALIZED VIEW IF NOT EXISTS stats.totals AS SELECT 1 WITH NO DATA;\nCREATE OR REPLACE VIEW v AS SELECT 2;\nCREATE TEMP VIEW t AS SELECT 3;");
        var mv = Assert.IsType<CreateViewStatement>(s[0]);
        Assert.Equal("stats.totals", mv.Name.Key);
        Assert.True(mv.Materialized && mv.IfNotExists && mv.WithNoData && !mv.OrReplace);
        var v = Assert.IsType<CreateViewStatement>(s[1]);
        Assert.True(v.OrReplace && !v.Materialized && !v.WithNoData);
        Assert.True(Assert.IsType<CreateViewStatement>(s[2]).Temporary);
    }

    [Fact]
    public void Refresh_materialized_view_is_read()
    {
        var s = Parse("REFRESH MATERIALIZED VIEW CONCURRENTLY a.b;\nrefresh materialized view c WITH DATA;");
        var first = Assert.IsType<RefreshMaterializedViewStatement>(s[0]);
        Assert.True(first.Concurrently);
        Assert.Equal("a.b", first.Name.Key);
        var second = Assert.IsType<RefreshMaterializedViewStatement>(s[1]);
        Assert.False(second.Concurrently);
        Assert.Equal(4, second.ViewKeyword.Length);
    }

    [Fact]
    public void Alter_type_rename_to_and_rename_value_are_read()
    {
        var s = Parse("ALTER TYPE status RENAME TO status_old;\nALTER TYPE public.mood RENAME VALUE 'ok' TO 'fine';\nALTER TYPE mood ADD VALUE 'meh';");
        Assert.Equal("status_old", Assert.IsType<AlterTypeStatement>(s[0]).NewName!.Key);
        var value = Assert.IsType<AlterTypeStatement>(s[1]);
        Assert.Equal(("ok", "fine"), value.RenamedValue);
        Assert.Null(value.NewName);
        Assert.Equal("meh", Assert.IsType<AlterTypeStatement>(s[2]).AddedValue);
    }

    [Fact]
    public void Select_into_creates_a_table_on_postgres_only_and_never_in_a_body()
    {
        var s = Parse("SELECT id, total INTO UNLOGGED TABLE archive FROM orders;\nSELECT 1 FROM t;\nSELECT (SELECT 1) INTO TEMP x;\n" +
            "DO $$ DECLARE n int; BEGIN WITH c AS (SELECT 1) SELECT count(*) INTO n FROM c; END $$;");
        var into = Assert.IsType<CreateTableStatement>(s[0]);
        Assert.Equal("archive", into.Table.Key);
        Assert.True(into.Derived && !into.Temporary);
        Assert.IsType<OpaqueStatement>(s[1]);
        Assert.True(Assert.IsType<CreateTableStatement>(s[2]).Temporary);
        var body = Assert.IsType<DoStatement>(s[3]).Body!;
        Assert.DoesNotContain(body.Statements, b => b is CreateTableStatement);
        Assert.IsType<OpaqueStatement>(Assert.Single(Parse("SELECT a INTO @x FROM t;", SqlDialect.MySql)));
    }
}
