using Microsoft.EntityFrameworkCore;
using Stepwise.EntityFrameworkCore;
using Stepwise.Examples.EfCore;
using Stepwise.Migrations.Running;

// dotnet run --project examples/efcore [-- "Data Source=todo.db" | "Host=127.0.0.1;Username=app;Password=…;Database=todo"]
var connectionString = args.Length > 0 ? args[0] : "Data Source=todo.db";
await using var db = TodoContext.For(connectionString);

// Applies the pending migrations: migration lock, lock_timeout + retries on every DDL, CONCURRENTLY outside a
// transaction, and the lint gate; __EFMigrationsHistory stays EF's (`dotnet ef migrations list` agrees).
var result = await db.Database.MigrateSafelyAsync(new MigrateSafelyOptions
{
    LockTimeout = TimeSpan.FromMilliseconds(500),
    Progress = new Log(),
});
if (!result.Succeeded)
{
    // a typed result: result.Failure (migration id, statement index, SQLSTATE, kind, message) or result.Problems
    Console.Error.WriteLine(result);
    return 1;
}

Console.WriteLine(result);
db.Todos.Add(new Todo { Title = "ship it", DueAt = DateTime.UtcNow.AddDays(1) });
await db.SaveChangesAsync();
Console.WriteLine($"{await db.Todos.CountAsync()} todo(s); applied: {string.Join(", ", await db.Database.GetAppliedMigrationsAsync())}");
return 0;

/// <summary>The library never prints: the application words its progress events.</summary>
internal sealed class Log : IProgress<RunnerEvent>
{
    public void Report(RunnerEvent value)
    {
        switch (value.Kind)
        {
            case RunnerEventKind.Starting:
                Console.WriteLine($"applying {value.Version}");
                break;
            case RunnerEventKind.Retrying:
                Console.WriteLine($"  {value.Version}: lock not granted in {value.LockTimeout.TotalMilliseconds:0} ms, retry {value.Attempt}/{value.MaxAttempts} in {value.Delay.TotalMilliseconds:0} ms");
                break;
            case RunnerEventKind.Finished:
                Console.WriteLine($"  {value.Version}: done in {value.Elapsed.TotalMilliseconds:0} ms");
                break;
        }
    }
}
