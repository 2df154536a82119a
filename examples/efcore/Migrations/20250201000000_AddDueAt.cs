using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable
#pragma warning disable CA1812 // found by EF through its attributes

namespace Stepwise.Examples.EfCore.Migrations;

/// <summary>A nullable column (no rewrite, no long lock) and an index built without blocking writes: PostgreSQL
/// builds it CONCURRENTLY (Npgsql's annotation makes EF run it outside its transaction; MigrateSafelyAsync runs
/// it with the weak-lock timeout).</summary>
[DbContext(typeof(TodoContext))]
[Migration("20250201000000_AddDueAt")]
public partial class AddDueAt : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<DateTime>(name: "DueAt", table: "Todos", nullable: true);
        migrationBuilder.CreateIndex(name: "IX_Todos_DueAt", table: "Todos", column: "DueAt")
            .Annotation("Npgsql:CreatedConcurrently", true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: "IX_Todos_DueAt", table: "Todos");
        migrationBuilder.DropColumn(name: "DueAt", table: "Todos");
    }
}
