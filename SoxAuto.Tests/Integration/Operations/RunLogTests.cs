using System.Text.Json;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration.Operations;

/// <summary>Logs an operator can follow a run by: with JSON console logs switched on by a setting, every
/// line written while a run executes carries its run id, whichever part of SoxAuto or library wrote it.</summary>
[Collection(nameof(SeveralProcesses))]
public class RunLogTests
{
    [Fact]
    public async Task With_JSON_console_logs_every_line_written_during_a_run_carries_its_run_id()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        await using (var app = await CoreHost.StartAsync(data.Folder.Root))
            await TestIpes.AddAsync(app.Services, "IPE_BROKEN", "SELECT * FROM no_such_table WHERE {{period_end}} IS NOT NULL");

        var (exit, stdout, stderr) = await ChildProcess.HeadlessAsync(data.Folder.Root, "run", "IPE_BROKEN", "--period", "2025-09",
            "--Logging:Console:FormatterName=json", "--Logging:LogLevel:Default=Information");
        Assert.Equal(1, exit);
        var runId = JsonDocument.Parse(stdout).RootElement.GetProperty("runId").GetInt32();

        var lines = stderr.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        // From the executor's first line to its last, everything is part of the run.
        var first = lines.FindIndex(l => Category(l) == typeof(RunExecutor).FullName);
        var last = lines.FindLastIndex(l => Category(l) == typeof(RunExecutor).FullName);
        Assert.True(first >= 0, "No JSON log line from the run's executor: " + stderr);
        var during = lines[first..(last + 1)];
        Assert.Contains(during, l => Category(l).StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        Assert.All(during, l => Assert.True(RunIdOf(l) == runId, $"A line without run {runId}: {l.GetRawText()}"));
        Assert.Contains(during, l => Category(l) == typeof(RunExecutor).FullName && l.GetProperty("Message").GetString()!.StartsWith($"Run {runId} ended Failed:", StringComparison.Ordinal));
    }

    private static string Category(JsonElement line) => line.GetProperty("Category").GetString()!;

    private static int? RunIdOf(JsonElement line) =>
        line.TryGetProperty("Scopes", out var scopes)
            ? scopes.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("RunId", out _))
                .Select(s => (int?)s.GetProperty("RunId").GetInt32()).FirstOrDefault()
            : null;
}
