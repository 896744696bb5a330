using System.Text.Json;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>The rollforward verb as an operator starts it: one JSON object with the prior run, the keys and the
/// movements; exit 3 when there is no prior period's run to compare with.</summary>
public sealed class HeadlessRollForwardTests
{
    [Fact]
    public async Task Rollforward_prints_September_against_August_and_exits_3_for_August_which_has_no_prior_run()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        int august, september;
        var ada = new Actor("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") };
        await using (var app = await CoreHost.StartAsync(data.Folder.Root))
        {
            august = (await app.WaitForFinalAsync((await app.Get<RunService>().RequestAsync("CR_04", "2025-08", null, ada)).Id)).Id;
            september = (await app.WaitForFinalAsync((await app.Get<RunService>().RequestAsync("CR_04", "2025-09", null, ada)).Id)).Id;
        }

        var (exit, stdout, stderr) = await ChildProcess.HeadlessAsync(data.Folder.Root, ["rollforward", $"{september}"]);

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal((august, "2025-08", "balance"), (root.GetProperty("priorRunId").GetInt32(), root.GetProperty("priorPeriod").GetString(), root.GetProperty("amountColumn").GetString()));
        Assert.Equal(9, root.GetProperty("byCompany").GetArrayLength());
        Assert.Equal(19, root.GetProperty("byAccount").GetArrayLength());
        Assert.Equal(0, root.GetProperty("newKeys").GetInt64());

        var (none, noneOut, noneErr) = await ChildProcess.HeadlessAsync(data.Folder.Root, ["rollforward", $"{august}"]);
        Assert.Equal(3, none);
        Assert.Contains("no succeeded run of CR_04 for the prior period 2025-07", JsonDocument.Parse(noneOut).RootElement.GetProperty("noPrior").GetString());
        Assert.Contains("run it for 2025-07 first", noneErr);
    }
}
