using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Runs;

/// <summary>A page open on one instance hears of a run another instance executes: the other process's
/// in-process notifier does not reach it, so this one reads the progress from the database.</summary>
public sealed class RunProgressPollTests
{
    private static readonly Actor Ada = new("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") };

    [Fact]
    public async Task The_end_of_a_run_another_process_executes_is_published_to_this_one()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        var fast = new Dictionary<string, string?> { ["SoxAuto:ProgressPollInterval"] = "00:00:00.100" };
        await using var executing = await CoreHost.StartAsync(data.Folder.Root, fast);
        await using var watching = await CoreHost.StartAsync(data.Folder.Root, fast);
        var heard = new System.Collections.Concurrent.ConcurrentQueue<RunUpdate>();
        watching.Get<RunProgress>().Changed += heard.Enqueue;

        var run = await executing.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, Ada);
        var done = await executing.WaitForFinalAsync(run.Id);

        Assert.True(done.State == RunState.Succeeded, done.Message);
        // The run was executed there, not here (here nothing would need reading from the database).
        Assert.Equal(executing.Get<RunLeases>().Holder, done.Owner);
        await RunWaits.UntilAsync(() => Task.FromResult(heard.Any(u => u.RunId == run.Id && u.State == RunState.Succeeded)),
            $"run {run.Id}'s end published on the watching process", TimeSpan.FromSeconds(30));
        Assert.Equal(done.RowCount, heard.Last(u => u.RunId == run.Id).Rows);
    }
}
