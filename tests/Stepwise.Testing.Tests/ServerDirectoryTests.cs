using Stepwise.Testing.Internal;

namespace Stepwise.Testing.Tests;

public sealed class ServerDirectoryTests
{
    // a kind of its own, so reaping here never touches real servers' folders
    private readonly string _kind = "reaptest" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public void A_new_folder_belongs_to_this_live_process()
    {
        var folder = ServerDirectory.Create(_kind);
        try
        {
            Assert.StartsWith($"stepwise-{_kind}-", Path.GetFileName(folder.Path), StringComparison.Ordinal);
            Assert.False(ServerDirectory.IsStale(folder.Path));
        }
        finally
        {
            folder.Delete();
        }
    }

    [Fact]
    public async Task Reaping_stops_and_deletes_folders_whose_owner_is_gone_and_keeps_the_rest()
    {
        var live = ServerDirectory.Create(_kind);
        var orphan = ServerDirectory.Create(_kind);
        var reused = ServerDirectory.Create(_kind);
        try
        {
            Ports.OrphanFolder(orphan.Path);
            // our own pid with another start time: the pid was reused, the owner is gone
            await File.WriteAllTextAsync(Path.Combine(reused.Path, "owner"), $"{Environment.ProcessId} 12345\n");
            var stopped = new List<string>();

            await ServerDirectory.ReapStaleAsync(_kind, folder =>
            {
                stopped.Add(folder);
                return Task.CompletedTask;
            });

            Assert.Equal(new[] { orphan.Path, reused.Path }.Order(StringComparer.Ordinal), stopped.Order(StringComparer.Ordinal), StringComparer.Ordinal);
            Assert.False(Directory.Exists(orphan.Path));
            Assert.False(Directory.Exists(reused.Path));
            Assert.True(Directory.Exists(live.Path));
        }
        finally
        {
            live.Delete();
            orphan.Delete();
            reused.Delete();
        }
    }

    [Fact]
    public async Task A_failing_stop_does_not_stop_the_reaping()
    {
        var orphan = ServerDirectory.Create(_kind);
        Ports.OrphanFolder(orphan.Path);

        await ServerDirectory.ReapStaleAsync(_kind, _ => throw new InvalidOperationException("cannot stop"));

        Assert.False(Directory.Exists(orphan.Path));
    }
}
