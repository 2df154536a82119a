using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#pragma warning disable CA1707, CA1812 // migration classes are named and found as EF names and finds them

namespace Stepwise.EntityFrameworkCore.Tests;

/// <summary>The second migration fails at its second statement (a table that does not exist).</summary>
public sealed class FailingContext(DbContextOptions options) : TestContext(options);

/// <summary>Three SQLite migrations; the third rebuilds nothing and adds an index on the new column.</summary>
public sealed class SqliteApplyContext(DbContextOptions options) : TestContext(options);

[DbContext(typeof(FailingContext))]
[Migration("20250101000000_Initial")]
public class FailingInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => InitialUsers.Up(migrationBuilder);

    protected override void Down(MigrationBuilder migrationBuilder) => InitialUsers.Down(migrationBuilder);
}

[DbContext(typeof(FailingContext))]
[Migration("20250202000000_BrokenAlter")]
public class BrokenAlter : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "Nickname", table: "Users", type: "text", nullable: true);
        migrationBuilder.Sql("ALTER TABLE \"Missing\" ADD COLUMN x integer;");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
    }
}

[DbContext(typeof(SqliteApplyContext))]
[Migration("20250101000000_Initial")]
public class SqliteApplyInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => InitialUsers.Up(migrationBuilder, sqlite: true);

    protected override void Down(MigrationBuilder migrationBuilder) => InitialUsers.Down(migrationBuilder);
}

[DbContext(typeof(SqliteApplyContext))]
[Migration("20250202000000_AddNickname")]
public class SqliteApplyAddNickname : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "Nickname", table: "Users", type: "TEXT", nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn(name: "Nickname", table: "Users");
}

[DbContext(typeof(SqliteApplyContext))]
[Migration("20250303000000_NicknameNote")]
public class SqliteApplyNicknameNote : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "Note", table: "Users", type: "TEXT", nullable: true);
        // outside EF's transaction, as EF runs it; a few rows: the lint's suppression comment (in the same command: EF commits between commands) says why
        migrationBuilder.Sql("-- stepwise:ignore unbatched-data-change Users has a handful of rows\nUPDATE \"Users\" SET \"Note\" = 'none' WHERE \"Note\" IS NULL;", suppressTransaction: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn(name: "Note", table: "Users");
}
