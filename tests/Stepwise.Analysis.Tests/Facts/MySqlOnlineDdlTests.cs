using Stepwise.Analysis.Facts;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Tests.Facts;

public sealed class MySqlOnlineDdlTests
{
    private static DataType Type(string type)
    {
        var script = ParsedScript.Parse(new SourceText($"ALTER TABLE t MODIFY c {type};"), SqlDialect.MySql);
        var alter = Assert.IsType<AlterTableStatement>(script.Statements[0]);
        return Assert.IsType<AlterColumnTypeAction>(alter.Actions[0]).NewType;
    }

    [Theory]
    [InlineData("ENUM('a','b')", "ENUM('a','b','c')", true)]
    [InlineData("ENUM('a','b')", "ENUM('b','a','c')", false)]
    [InlineData("ENUM('a','b','c')", "ENUM('a','b')", false)]
    [InlineData("SET('a','b')", "SET('a','b','c')", true)]
    [InlineData("VARCHAR(20)", "VARCHAR(63)", true)]
    [InlineData("VARCHAR(20)", "VARCHAR(64)", false)]
    [InlineData("INT", "BIGINT", false)]
    [InlineData("INT", "INT", true)]
    public void Type_change_is_in_place_only_when_storage_stays(string from, string to, bool inPlace) =>
        Assert.Equal(inPlace, MySqlOnlineDdl.IsInPlaceTypeChange(Type(from), Type(to)));

    [Fact]
    public void Set_growing_past_eight_members_changes_storage()
    {
        var eight = "SET('a','b','c','d','e','f','g','h')";
        var nine = "SET('a','b','c','d','e','f','g','h','i')";
        Assert.False(MySqlOnlineDdl.IsInPlaceTypeChange(Type(eight), Type(nine)));
    }

    [Theory]
    [InlineData("8.0.35", null, true)]
    [InlineData("8.0.35", "FIRST", true)]
    [InlineData("8.0.20", null, true)]
    [InlineData("8.0.20", "AFTER a", false)]
    [InlineData("8.0.11", null, false)]
    [InlineData("mariadb-10.11", "FIRST", true)]
    [InlineData("mariadb-10.3", null, true)]
    [InlineData("mariadb-10.3", "FIRST", false)]
    [InlineData("mariadb-10.2", null, false)]
    public void Instant_add_column_depends_on_version_and_position(string version, string? position, bool instant)
    {
        Assert.True(MySqlTarget.TryParse(version, out var target));
        Assert.Equal(instant, MySqlOnlineDdl.InstantAddColumn(target, position));
    }

    [Fact]
    public void Dropping_the_primary_key_copies_unless_another_is_added()
    {
        var drop = Alter("ALTER TABLE t DROP PRIMARY KEY;");
        var swap = Alter("ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (a, b);");
        Assert.Equal(MySqlAlterCost.Copy, MySqlOnlineDdl.Judge(drop.Actions[0], drop, null, MySqlTarget.Default, false).Cost);
        Assert.Equal(MySqlAlterCost.Online, MySqlOnlineDdl.Judge(swap.Actions[0], swap, null, MySqlTarget.Default, false).Cost);
        Assert.Equal(MySqlAlterCost.Rebuild, MySqlOnlineDdl.Judge(swap.Actions[1], swap, null, MySqlTarget.Default, false).Cost);
    }

    [Fact]
    public void Foreign_key_copies_only_while_checks_are_on()
    {
        var alter = Alter("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);");
        Assert.Equal(MySqlAlterCost.Copy, MySqlOnlineDdl.Judge(alter.Actions[0], alter, null, MySqlTarget.Default, false).Cost);
        Assert.Equal(MySqlAlterCost.Online, MySqlOnlineDdl.Judge(alter.Actions[0], alter, null, MySqlTarget.Default, true).Cost);
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("OFF", true)]
    [InlineData("1", false)]
    [InlineData("@OLD_FOREIGN_KEY_CHECKS", false)]
    public void Foreign_key_checks_values_read_as_off_or_on(string value, bool off) => Assert.Equal(off, MySqlOnlineDdl.IsOff(value));

    private static AlterTableStatement Alter(string sql) =>
        Assert.IsType<AlterTableStatement>(ParsedScript.Parse(new SourceText(sql), SqlDialect.MySql).Statements[0]);
}
