using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#pragma warning disable CA1707, CA1812 // migration classes are named and found as EF names and finds them

namespace Stepwise.EntityFrameworkCore.Tests;

/// <summary>The first migration of every history, as `dotnet ef migrations add Initial` writes it.</summary>
internal static class InitialUsers
{
    public static void Up(MigrationBuilder migrationBuilder, bool sqlite = false)
    {
        migrationBuilder.CreateTable(
            name: "Users",
            columns: table => new
            {
                Id = sqlite
                    ? table.Column<int>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true)
                    : table.Column<int>(type: "integer", nullable: false).Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                Email = table.Column<string>(type: sqlite ? "TEXT" : "text", nullable: false),
                Name = table.Column<string>(type: sqlite ? "TEXT" : "character varying(100)", maxLength: 100, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Users", x => x.Id);
            });
    }

    public static void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "Users");
}

// --- safe: a nullable column, then indexes built concurrently (Npgsql's annotation, and hand-written SQL
// with suppressTransaction), each outside EF's transaction ---

[DbContext(typeof(SafeContext))]
[Migration("20250101000000_Initial")]
public class SafeInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => InitialUsers.Up(migrationBuilder);

    protected override void Down(MigrationBuilder migrationBuilder) => InitialUsers.Down(migrationBuilder);
}

[DbContext(typeof(SafeContext))]
[Migration("20250102000000_AddNickname")]
public class AddNickname : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "Nickname", table: "Users", type: "text", nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn(name: "Nickname", table: "Users");
}

[DbContext(typeof(SafeContext))]
[Migration("20250103000000_IndexEmailConcurrently")]
public class IndexEmailConcurrently : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateIndex(name: "IX_Users_Email", table: "Users", column: "Email")
            .Annotation("Npgsql:CreatedConcurrently", true);
        migrationBuilder.Sql("CREATE INDEX CONCURRENTLY \"IX_Users_Name\" ON \"Users\" (\"Name\");", suppressTransaction: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropIndex(name: "IX_Users_Email", table: "Users");
}

// --- dangerous: CreateIndex on a table of an earlier migration (a plain CREATE INDEX blocks writes) ---

[DbContext(typeof(PlainIndexContext))]
[Migration("20250101000000_Initial")]
public class PlainIndexInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        InitialUsers.Up(migrationBuilder);
        // a new table: indexing it in the same migration is safe
        migrationBuilder.CreateIndex(name: "IX_Users_Name", table: "Users", column: "Name");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => InitialUsers.Down(migrationBuilder);
}

[DbContext(typeof(PlainIndexContext))]
[Migration("20250202000000_AddEmailIndex")]
public class AddEmailIndex : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateIndex(name: "IX_Users_Email", table: "Users", column: "Email", unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropIndex(name: "IX_Users_Email", table: "Users");
}

// --- dangerous: RenameColumn ---

[DbContext(typeof(RenameContext))]
[Migration("20250101000000_Initial")]
public class RenameInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => InitialUsers.Up(migrationBuilder);

    protected override void Down(MigrationBuilder migrationBuilder) => InitialUsers.Down(migrationBuilder);
}

[DbContext(typeof(RenameContext))]
[Migration("20250303000000_RenameNameToFullName")]
public class RenameNameToFullName : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.RenameColumn(name: "Name", table: "Users", newName: "FullName");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.RenameColumn(name: "FullName", table: "Users", newName: "Name");
}

// --- dangerous: AlterColumn to another type (a rewrite of the table under an ACCESS EXCLUSIVE lock) ---

[DbContext(typeof(AlterTypeContext))]
[Migration("20250101000000_Initial")]
public class AlterTypeInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => InitialUsers.Up(migrationBuilder);

    protected override void Down(MigrationBuilder migrationBuilder) => InitialUsers.Down(migrationBuilder);
}

[DbContext(typeof(AlterTypeContext))]
[Migration("20250404000000_NameToInteger")]
public class NameToInteger : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AlterColumn<int>(
            name: "Name",
            table: "Users",
            type: "integer",
            nullable: true,
            oldClrType: typeof(string),
            oldType: "character varying(100)",
            oldMaxLength: 100,
            oldNullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
    }
}

// --- CONCURRENTLY without suppressTransaction: EF runs it in its transaction, where PostgreSQL refuses it ---

[DbContext(typeof(ConcurrentlyInTransactionContext))]
[Migration("20250101000000_Initial")]
public class ConcurrentlyInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => InitialUsers.Up(migrationBuilder);

    protected override void Down(MigrationBuilder migrationBuilder) => InitialUsers.Down(migrationBuilder);
}

[DbContext(typeof(ConcurrentlyInTransactionContext))]
[Migration("20250505000000_ConcurrentIndexInTransaction")]
public class ConcurrentIndexInTransaction : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("CREATE INDEX CONCURRENTLY \"IX_Users_Email\" ON \"Users\" (\"Email\");");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
    }
}

// --- suppressed: the SQL comment form before the operation ---

[DbContext(typeof(SqlCommentSuppressedContext))]
[Migration("20250101000000_Initial")]
public class SqlCommentInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => InitialUsers.Up(migrationBuilder);

    protected override void Down(MigrationBuilder migrationBuilder) => InitialUsers.Down(migrationBuilder);
}

[DbContext(typeof(SqlCommentSuppressedContext))]
[Migration("20250606000000_RenameWithComment")]
public class RenameWithComment : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("-- stepwise:ignore rename-column no release reads Name since v2.3");
        migrationBuilder.RenameColumn(name: "Name", table: "Users", newName: "FullName");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
    }
}

// --- suppressed: the attribute on the migration class ---

[DbContext(typeof(AttributeSuppressedContext))]
[Migration("20250101000000_Initial")]
public class AttributeInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => InitialUsers.Up(migrationBuilder);

    protected override void Down(MigrationBuilder migrationBuilder) => InitialUsers.Down(migrationBuilder);
}

[DbContext(typeof(AttributeSuppressedContext))]
[Migration("20250707000000_IndexSmallTable")]
[StepwiseIgnore("non-concurrent-index", "Users has 40 rows, written once a day")]
public class IndexSmallTable : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateIndex(name: "IX_Users_Email", table: "Users", column: "Email");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
    }
}

// --- an attribute that matches nothing: an unused-suppression warning, not silence ---

[DbContext(typeof(UnusedAttributeContext))]
[Migration("20250101000000_Initial")]
[StepwiseIgnore("drop-table", "nothing is dropped here")]
public class UnusedAttributeInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => InitialUsers.Up(migrationBuilder);

    protected override void Down(MigrationBuilder migrationBuilder) => InitialUsers.Down(migrationBuilder);
}

// --- SQLite ---

[DbContext(typeof(SqliteRenameContext))]
[Migration("20250101000000_Initial")]
public class SqliteRenameInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => InitialUsers.Up(migrationBuilder, sqlite: true);

    protected override void Down(MigrationBuilder migrationBuilder) => InitialUsers.Down(migrationBuilder);
}

[DbContext(typeof(SqliteRenameContext))]
[Migration("20250808000000_SqliteRenameName")]
public class SqliteRenameName : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.RenameColumn(name: "Name", table: "Users", newName: "FullName");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
    }
}

[DbContext(typeof(SqliteSafeContext))]
[Migration("20250101000000_Initial")]
public class SqliteSafeInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => InitialUsers.Up(migrationBuilder, sqlite: true);

    protected override void Down(MigrationBuilder migrationBuilder) => InitialUsers.Down(migrationBuilder);
}

[DbContext(typeof(SqliteSafeContext))]
[Migration("20250909000000_SqliteAddNickname")]
public class SqliteAddNickname : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "Nickname", table: "Users", type: "TEXT", nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
    }
}
