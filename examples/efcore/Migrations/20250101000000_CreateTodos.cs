using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable
#pragma warning disable CA1812 // found by EF through its attributes

namespace Stepwise.Examples.EfCore.Migrations;

/// <summary>As <c>dotnet ef migrations add CreateTodos</c> writes it (with both providers' identity annotations,
/// each provider ignoring the other's, so the example runs on SQLite and PostgreSQL).</summary>
[DbContext(typeof(TodoContext))]
[Migration("20250101000000_CreateTodos")]
public partial class CreateTodos : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Todos",
            columns: table => new
            {
                Id = table.Column<int>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                Title = table.Column<string>(maxLength: 200, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Todos", x => x.Id);
            });
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "Todos");
}
