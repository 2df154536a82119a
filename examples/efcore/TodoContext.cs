using Microsoft.EntityFrameworkCore;

namespace Stepwise.Examples.EfCore;

public sealed class Todo
{
    public int Id { get; set; }

    public string Title { get; set; } = string.Empty;

    public DateTime? DueAt { get; set; }
}

public sealed class TodoContext(DbContextOptions<TodoContext> options) : DbContext(options)
{
    public DbSet<Todo> Todos => Set<Todo>();

    /// <summary>SQLite for a file path or a "Data Source=…" string, PostgreSQL for an Npgsql connection string ("Host=…").</summary>
    public static TodoContext For(string connectionString)
    {
        var builder = new DbContextOptionsBuilder<TodoContext>();
        if (connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            builder.UseNpgsql(connectionString);
        }
        else
        {
            builder.UseSqlite(connectionString.Contains('=', StringComparison.Ordinal) ? connectionString : $"Data Source={connectionString}");
        }

        return new TodoContext(builder.Options);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<Todo>(todo =>
        {
            todo.Property(t => t.Title).HasMaxLength(200);
            todo.HasIndex(t => t.DueAt);
        });
}
