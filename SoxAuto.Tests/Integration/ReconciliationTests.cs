using System.Security.Cryptography;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.Reconciliations;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>The reconciliation of C-PG-1 through the real services: SQLite on disk, DuckDB over the demo lake,
/// the worker, the stored extracts of real IPE runs.</summary>
public class ReconciliationTests
{
    private static readonly Actor Ada = new("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") };
    private static readonly Actor Alan = new("Alan Admin", "test", IsAdmin: true) { Subject = TestPeople.SubjectOf("Alan Admin") };
    private static readonly Actor Beth = new("Beth Admin", "test", IsAdmin: true) { Subject = TestPeople.SubjectOf("Beth Admin") };

    [Fact]
    public async Task The_reconciliation_of_C_PG_1_for_2025_09_finds_exactly_the_planted_difference_outside_and_the_small_one_within()
    {
        await using var app = await CoreHost.StartAsync();
        var requested = await app.Get<ReconciliationService>().RequestAsync("C-PG-1", "2025-09", Ada);
        Assert.Equal(RunKind.Reconciliation, requested.Kind);

        var run = await app.WaitForFinalAsync(requested.Id, TimeSpan.FromMinutes(8));

        Assert.True(run.State == RunState.Succeeded, run.Message);
        var view = (await app.Get<ReconciliationService>().LoadAsync(run.Id))!;
        // 7 IPEs, 11 accounts, 9 companies.
        Assert.Equal(99, view.Lines.Count);
        var outside = Assert.Single(view.Lines, l => l.Outside);
        Assert.Equal(("13024", "EC_KE", "KES", "IPE_12"), (outside.GlAccount, outside.Company, outside.Currency, outside.Ipes));
        Assert.Equal((327_110.00m, 577_110.00m, 250_000.00m, 1_000m), (outside.IpeTotal, outside.GlBalance, outside.Difference, outside.Threshold));
        Assert.Equal((129.1419m, 1_935.86m), (outside.UsdRate, outside.DifferenceUsd));
        Assert.Same(outside, view.Lines[0]); // outside first
        var small = view.Lines.Single(l => l.Difference != 0 && !l.Outside);
        Assert.Equal(("18304", "JM_EG", "EGP", 420.50m, "within", "Opposite"), (small.GlAccount, small.Company, small.Currency, small.Difference, small.StatusText, small.Sign));
        Assert.Equal(97, view.Lines.Count(l => l.Difference == 0.00m));
        Assert.False(view.Reconciles);
        Assert.StartsWith("Does not reconcile: 1 of 99 lines are outside their thresholds (EC_KE 13024: 250,000.00 KES)", run.Message);

        // Built on a succeeded run of each IPE, CR_04, CR_05 and CR_03, each named with its extract's SHA-256.
        Assert.Equal(["IPE_07", "IPE_08", "IPE_10", "IPE_11", "IPE_12", "IPE_31", "IPE_34", "CR_04", "CR_05", "CR_03"], view.Inputs.Select(i => i.IpeId));
        await using (var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync())
            foreach (var input in view.Inputs)
            {
                var used = await db.Runs.AsNoTracking().FirstAsync(r => r.Id == input.InputRunId);
                Assert.Equal((RunState.Succeeded, used.ExtractSha256, "Ada Auditor"), (used.State, input.ExtractSha256, used.RequestedBy));
            }
        Assert.Equal(1, view.Control!.Number);

        // Its evidence: a workbook (Reconciliation sheet first) and the lines as CSV, each hashing to what the run records.
        var folder = app.Get<DataFolder>();
        var xlsx = folder.Absolute(run.WorkbookPath!);
        Assert.Equal($"C-PG-1_2025-09_run-{run.Id}.xlsx", Path.GetFileName(xlsx));
        Assert.Equal(run.WorkbookSha256, Sha256(xlsx));
        Assert.Equal(run.ExtractSha256, Sha256(folder.Absolute(run.ExtractPath!)));
        using var workbook = SpreadsheetDocument.Open(xlsx, isEditable: false);
        Assert.Equal(["Reconciliation", "Inputs", "Method"], workbook.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!));
    }

    [Fact]
    public async Task A_threshold_change_is_a_draft_that_its_author_cannot_approve_and_a_second_admin_makes_active()
    {
        await using var app = await CoreHost.StartAsync();
        var controls = app.Get<ControlChanges>();
        var v1 = (await controls.ActiveAsync("C-PG-1"))!;
        var raised = v1.Definition with { Thresholds = [new("13024", "EC_KE", 300_000m, "Disputed COD cash under investigation")] };

        var notAdmin = await Assert.ThrowsAsync<SegregationOfDutiesException>(() => controls.SaveDraftAsync(raised, null, Ada));
        Assert.Contains("Only an admin", notAdmin.Message);
        var draft = await controls.SaveDraftAsync(raised, "Raise EC_KE 13024 while the partner dispute is open", Alan);
        Assert.Equal((2, IpeVersionStatus.Draft), (draft.Number, draft.Status));
        Assert.Equal(1, (await controls.ActiveAsync("C-PG-1"))!.Number); // nothing changes before approval

        var own = await Assert.ThrowsAsync<SegregationOfDutiesException>(() => controls.ApproveAsync(draft.Id, null, Alan));
        Assert.Contains("another admin must approve it", own.Message);
        var approved = await controls.ApproveAsync(draft.Id, "Agreed with the controller", Beth);

        var active = (await controls.ActiveAsync("C-PG-1"))!;
        Assert.Equal((2, "Beth Admin"), (active.Number, active.ApprovedBy));
        Assert.Equal(300_000m, active.Definition.ThresholdFor("13024", "EC_KE"));
        Assert.Equal(1_000m, active.Definition.ThresholdFor("13024", "EC_NG"));
        var diff = (await controls.DiffAsync("C-PG-1", 2))!;
        Assert.Contains(diff.Settings.NewText.Lines, l => l.Text == "Threshold 13024 EC_KE: 300,000.00 (Disputed COD cash under investigation)");
        await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var trail = await db.AuditTrail.AsNoTracking().Where(a => a.Action.StartsWith("control.")).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal(["control.draft.denied", "control.draft", "control.approve.denied", "control.approved"], trail);
        Assert.Equal(IpeVersionStatus.Active, approved.Status);
    }

    [Fact]
    public async Task A_reconciliation_interrupted_by_a_restart_is_resumed_and_ends_never_left_running()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        int id;
        await using (var app = await CoreHost.StartAsync(data.Folder.Root))
        {
            id = (await app.Get<ReconciliationService>().RequestAsync("C-PG-1", "2025-09", Ada)).Id;
            // Stop while the IPE runs it started are under way.
            await RunWaits.UntilAsync(async () =>
            {
                await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
                return await db.Runs.AnyAsync(r => r.Kind == RunKind.Ipe && r.ExecutionId != null);
            }, "an IPE run of the reconciliation on the engine", TimeSpan.FromMinutes(2));
            await app.StopAsync();
            Assert.False((await app.LoadAsync(id)).IsFinal);
        }

        await using var restarted = await CoreHost.StartAsync(data.Folder.Root);
        var run = await restarted.WaitForFinalAsync(id, TimeSpan.FromMinutes(8));

        Assert.True(run.State == RunState.Succeeded, run.Message);
        Assert.StartsWith("Does not reconcile: 1 of 99 lines", run.Message);
        await using var read = await restarted.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var runs = await read.Runs.AsNoTracking().ToListAsync();
        Assert.All(runs, r => Assert.True(r.IsFinal, $"run {r.Id} ({r.IpeId}) is {r.State}"));
    }

    private static string Sha256(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(f));
    }
}
