using System.Text.Json;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Core.Evidence;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>The sample verb as an operator starts it: the sample drawn from the run's stored extract, its workbook
/// written, one JSON object on standard output.</summary>
public sealed class HeadlessSampleTests
{
    [Fact]
    public async Task Sample_draws_a_monetary_unit_sample_writes_its_workbook_and_gives_the_same_rows_for_the_same_seed()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        int runId;
        await using (var app = await CoreHost.StartAsync(data.Folder.Root))
            runId = (await app.WaitForFinalAsync((await app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, new Actor("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") })).Id)).Id;
        var file = Path.Combine(data.Folder.Root, "sample.xlsx");
        string[] args = ["sample", $"{runId}", "--method", "mus", "--amount", "total_amount", "--size", "12", "--seed", "7", "--out", file];

        var (exit, stdout, stderr) = await ChildProcess.HeadlessAsync(data.Folder.Root, args);
        var (exitAgain, stdoutAgain, _) = await ChildProcess.HeadlessAsync(data.Folder.Root, args);

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Equal(0, exitAgain);
        using var json = JsonDocument.Parse(stdout);
        using var jsonAgain = JsonDocument.Parse(stdoutAgain);
        var root = json.RootElement;
        Assert.Equal(("MonetaryUnit", 7L), (root.GetProperty("method").GetString(), root.GetProperty("seed").GetInt64()));
        var rows = root.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("row").GetInt64()).ToList();
        Assert.NotEmpty(rows);
        Assert.Equal(rows, jsonAgain.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("row").GetInt64()));
        Assert.Equal(12, root.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty("units").GetString()!.Split("; ").Length));
        using var workbook = new WorkbookReadBack(file);
        Assert.Equal(["Method", "Sample"], workbook.SheetNames);
        Assert.Equal(rows.Count + 1, workbook.Rows("Sample").Length);
    }

    [Fact]
    public async Task Sample_without_a_size_exits_2_and_of_a_run_that_does_not_exist_exits_1()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        var (exit, _, stderr) = await ChildProcess.HeadlessAsync(data.Folder.Root, "sample", "1", "--method", "random", "--out", "x.xlsx");
        Assert.Equal(2, exit);
        Assert.Contains("Give the sample size with --size", stderr);

        (exit, _, stderr) = await ChildProcess.HeadlessAsync(data.Folder.Root, "sample", "41", "--method", "random", "--size", "5", "--out", "x.xlsx");
        Assert.True(exit == 1, $"exit {exit}: {stderr}");
        Assert.Contains("There is no run 41.", stderr);
    }
}
