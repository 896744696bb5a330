using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>The run-control verb as an operator (or their scheduler) starts it: a batch of every approved IPE of
/// the control, then the reconciliation over exactly those runs; one JSON object, the exit code saying how it ended.</summary>
public class HeadlessRunControlTests
{
    [Fact]
    public async Task Run_control_runs_every_IPE_then_reconciles_those_runs_and_exits_3_for_the_planted_difference_and_1_when_an_IPE_fails()
    {
        using var data = DemoLakeFixture.NewDataFolder();

        // 1. Every IPE of C-PG-1 succeeds; the reconciliation finds the planted difference (exit 3, as `reconcile`).
        var (exit, stdout, stderr) = await RunControlAsync(data);
        Assert.True(exit == 3, $"exit {exit}: {stderr}");
        int batchId;
        using (var json = JsonDocument.Parse(stdout))
        {
            var root = json.RootElement;
            batchId = root.GetProperty("batchId").GetInt32();
            Assert.Equal(("C-PG-1", "2025-09", "OutsideThresholds"), (root.GetProperty("control").GetString(), root.GetProperty("period").GetString(), root.GetProperty("outcome").GetString()));
            var runs = root.GetProperty("runs").EnumerateArray().ToList();
            Assert.Equal(12, runs.Count);
            Assert.All(runs, r => Assert.Equal("Succeeded", r.GetProperty("status").GetString()));
            Assert.Equal("Reconciliation", runs[^1].GetProperty("kind").GetString());
            Assert.False(root.GetProperty("reconciliation").GetProperty("reconciles").GetBoolean());
            Assert.Equal(1, root.GetProperty("reconciliation").GetProperty("outside").GetInt32());
        }
        await using (var app = await CoreHost.StartAsync(data.Folder.Root))
        {
            await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
            var batchRuns = await db.Runs.Where(r => r.BatchId == batchId).Select(r => r.Id).ToListAsync();
            var recon = await db.Runs.SingleAsync(r => r.BatchId == batchId && r.Kind == RunKind.Reconciliation);
            var inputs = await db.ReconciliationInputs.Where(i => i.RunId == recon.Id).Select(i => i.InputRunId).ToListAsync();
            Assert.NotEmpty(inputs);
            Assert.All(inputs, id => Assert.Contains(id, batchRuns)); // the batch's own runs, none started twice
            Assert.Equal(12, await db.Runs.CountAsync());
            var audit = await db.AuditTrail.Where(e => e.Subject == $"batch/{batchId}").Select(e => e.Action).ToListAsync();
            Assert.Equal(["batch.requested", "batch.ended"], audit);

            // 2. A new IPE of the control that fails on the engine.
            db.IpeVersions.Add(new IpeVersion
            {
                IpeId = "IPE_BROKEN",
                Number = 1,
                Status = IpeVersionStatus.Active,
                AuthoredBy = "test",
                AuthoredBySubject = TestPeople.SubjectOf("test"),
                ApprovedBy = "test2",
                Definition = TestIpes.Definition("IPE_BROKEN", "SELECT company, amount FROM no_such_table WHERE day <= {{period_end}}") with
                {
                    Control = "C-PG-1",
                    GlAccounts = ["13024"],
                    Reconciliation = new() { AmountColumn = "amount", CompanyColumn = "company", GlAccount = "13024" },
                },
            });
            await db.SaveChangesAsync();
        }

        // The batch fails (exit 1); its reconciliation fails naming the batch's failed run and starts no run of its own.
        (exit, stdout, stderr) = await RunControlAsync(data);
        Assert.True(exit == 1, $"exit {exit}: {stderr}");
        using (var json = JsonDocument.Parse(stdout))
        {
            var root = json.RootElement;
            Assert.Equal("Failed", root.GetProperty("outcome").GetString());
            var runs = root.GetProperty("runs").EnumerateArray().ToList();
            Assert.Equal(13, runs.Count);
            var broken = runs.Single(r => r.GetProperty("ipe").GetString() == "IPE_BROKEN");
            Assert.Equal("Failed", broken.GetProperty("status").GetString());
            Assert.Contains("no_such_table", broken.GetProperty("message").GetString());
            var recon = runs[^1];
            Assert.Equal("Failed", recon.GetProperty("status").GetString());
            Assert.Contains($"IPE_BROKEN run {broken.GetProperty("runId").GetInt32()}", recon.GetProperty("message").GetString());
            Assert.Contains("2 of 13 runs did not succeed", root.GetProperty("message").GetString());
        }
        await using (var app = await CoreHost.StartAsync(data.Folder.Root))
        {
            await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
            Assert.Equal(1, await db.Runs.CountAsync(r => r.IpeId == "IPE_BROKEN"));
        }
    }

    /// <summary>Twelve runs and a reconciliation in one process: minutes on a loaded machine.</summary>
    private static async Task<(int Exit, string Stdout, string Stderr)> RunControlAsync(TempDataFolder data)
    {
        using var process = ChildProcess.StartHeadless(data.Folder.Root, "run-control", "C-PG-1", "--period", "2025-09");
        return await process.WaitAsync(TimeSpan.FromMinutes(15));
    }

    [Fact]
    public async Task Run_control_for_a_control_that_is_not_in_the_catalog_exits_1_with_the_reason_and_writes_nothing()
    {
        using var data = DemoLakeFixture.NewDataFolder();

        var (exit, stdout, stderr) = await ChildProcess.HeadlessAsync(data.Folder.Root, "run-control", "C-XX-9", "--period", "2025-09");

        Assert.Equal(1, exit);
        Assert.Contains("There is no control called 'C-XX-9'", stderr);
        Assert.Equal("", stdout.Trim());
    }
}
