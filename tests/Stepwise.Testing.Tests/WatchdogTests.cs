using Stepwise.Testing.Internal;

namespace Stepwise.Testing.Tests;

public sealed class WatchdogTests
{
    [Fact]
    public async Task When_its_input_closes_as_on_our_death_the_watchdog_stops_the_server_and_deletes_the_folder()
    {
        var folder = ServerDirectory.Create("watchdogtest");
        await using var fakeServer = ChildProcess.Start("sleep", ["60"]);
        await using var watchdog = Watchdog.Start(folder.Path, ["kill", "-9", fakeServer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        // nothing happens while this process lives
        await Task.Delay(200);
        Assert.False(fakeServer.HasExited);
        Assert.True(Directory.Exists(folder.Path));

        watchdog.CloseStandardInput();
        var result = await fakeServer.WaitForExitAsync(TimeSpan.FromSeconds(20));
        await watchdog.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(ChildProcessResult.KilledExitCode, result.ExitCode);
        Assert.False(Directory.Exists(folder.Path));
    }

    [Fact]
    public async Task Killing_the_watchdog_leaves_the_server_alone()
    {
        var folder = ServerDirectory.Create("watchdogtest");
        try
        {
            await using var fakeServer = ChildProcess.Start("sleep", ["60"]);
            var watchdog = Watchdog.Start(folder.Path, ["kill", "-9", fakeServer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

            await watchdog.DisposeAsync();
            await Task.Delay(200);

            Assert.False(fakeServer.HasExited);
            Assert.True(Directory.Exists(folder.Path));
        }
        finally
        {
            folder.Delete();
        }
    }
}
