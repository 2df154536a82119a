using Stepwise.Analysis.Facts;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Tests.Facts;

public sealed class TypeChangesTests
{
    private static DataType T(string name, params string[] args) => new(name, args, false, default, name);

    [Theory]
    [InlineData("varchar", "50", "varchar", "100", true)]
    [InlineData("varchar", "100", "varchar", "50", false)]
    [InlineData("varchar", "100", "text", null, true)]
    [InlineData("text", null, "varchar", "20", false)]
    [InlineData("integer", null, "bigint", null, false)]
    [InlineData("serial", null, "integer", null, true)]
    [InlineData("bigserial", null, "bigint", null, true)]
    public void Postgres_binary_coercible_changes_are_safe(string from, string? fromArg, string to, string? toArg, bool safe)
    {
        var f = fromArg is null ? T(from) : T(from, fromArg);
        var t = toArg is null ? T(to) : T(to, toArg);
        Assert.Equal(safe, TypeChanges.IsSafeOnPostgres(f, t));
    }

    [Fact]
    public void Postgres_numeric_precision_up_at_the_same_scale_is_safe()
    {
        Assert.True(TypeChanges.IsSafeOnPostgres(T("numeric", "10", "2"), T("numeric", "12", "2")));
        Assert.False(TypeChanges.IsSafeOnPostgres(T("numeric", "10", "2"), T("numeric", "12", "3")));
    }

    [Fact]
    public void Mysql_varchar_extension_is_in_place_only_within_the_same_length_prefix()
    {
        Assert.True(TypeChanges.IsInPlaceOnMySql(T("varchar", "50"), T("varchar", "60")));
        Assert.False(TypeChanges.IsInPlaceOnMySql(T("varchar", "60"), T("varchar", "70")));
        Assert.True(TypeChanges.IsInPlaceOnMySql(T("varchar", "60"), T("varchar", "70"), bytesPerChar: 1));
        Assert.NotNull(TypeChanges.MySqlLengthPrefixChange(T("varchar", "60"), T("varchar", "70")));
        Assert.Null(TypeChanges.MySqlLengthPrefixChange(T("varchar", "50"), T("varchar", "60")));
    }

    [Fact]
    public void Mysql_enum_members_appended_at_the_end_are_in_place()
    {
        Assert.True(TypeChanges.IsInPlaceOnMySql(T("enum", "'a'", "'b'"), T("enum", "'a'", "'b'", "'c'")));
        Assert.False(TypeChanges.IsInPlaceOnMySql(T("enum", "'a'", "'b'"), T("enum", "'c'", "'a'", "'b'")));
        Assert.False(TypeChanges.IsInPlaceOnMySql(T("set", "'a'", "'b'", "'c'", "'d'", "'e'", "'f'", "'g'", "'h'"), T("set", "'a'", "'b'", "'c'", "'d'", "'e'", "'f'", "'g'", "'h'", "'i'")));
        Assert.False(TypeChanges.IsInPlaceOnMySql(T("integer"), T("bigint")));
    }
}
