using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>Changing the IPE catalog through the real services: SQLite on disk, DuckDB EXPLAIN over the demo lake.</summary>
public class IpeChangeTests
{
    private static readonly Actor Alan = new("Alan Admin", "test", IsAdmin: true) { Subject = TestPeople.SubjectOf("Alan Admin") };
    private static readonly Actor Beth = new("Beth Admin", "test", IsAdmin: true) { Subject = TestPeople.SubjectOf("Beth Admin") };
    private static readonly Actor Ada = new("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") };

    private static async Task<IpeDefinition> Ipe09Async(CoreHost app) => (await app.Get<IpeCatalog>().ActiveAsync("IPE_09"))!.Definition;

    private static IpeDefinition Edited(IpeDefinition ipe) =>
        ipe with { Sql = ipe.Sql.Replace("ORDER BY o.order_id", "ORDER BY o.order_id, o.company", StringComparison.Ordinal) };

    [Fact]
    public async Task A_draft_is_invisible_to_auditors_until_another_admin_approves_it_and_runs_name_the_version_that_ran()
    {
        await using var app = await CoreHost.StartAsync();
        var changes = app.Get<IpeChanges>();
        var catalog = app.Get<IpeCatalog>();
        var before = await app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, Ada);

        var draft = await changes.SaveDraftAsync(Edited(await Ipe09Async(app)), "Stable order", Alan);
        Assert.Equal((2, IpeVersionStatus.Draft, 1), (draft.Number, draft.Status, draft.BasedOnNumber));
        Assert.Equal(1, (await catalog.ActiveAsync("IPE_09"))!.Number);
        var whileDraft = await app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, Ada);
        Assert.Equal(1, whileDraft.IpeVersionNumber);

        var approved = await changes.ApproveAsync(draft.Id, "Looks right", Beth);
        Assert.Equal(IpeVersionStatus.Active, approved.Status);
        Assert.Equal("Beth Admin", approved.ApprovedBy);
        Assert.Equal(2, (await catalog.ActiveAsync("IPE_09"))!.Number);
        var history = await changes.HistoryAsync("IPE_09");
        Assert.Equal([IpeVersionStatus.Active, IpeVersionStatus.Superseded], history.Select(v => v.Status));

        var after = await app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, Ada);
        var ran = await app.WaitForFinalAsync(after.Id);
        Assert.True(ran.State == RunState.Succeeded, ran.Message);
        Assert.Equal(2, ran.IpeVersionNumber);
        Assert.Contains("o.company", ran.ExecutedSql!.Split("ORDER BY")[1]);
        // Earlier runs keep pointing at the version they ran.
        Assert.Equal(1, (await app.LoadAsync(before.Id)).IpeVersionNumber);
        Assert.Equal(1, (await app.WaitForFinalAsync(whileDraft.Id)).IpeVersionNumber);
    }

    [Fact]
    public async Task Of_two_admins_with_one_name_neither_may_approve_their_own_change_and_each_may_approve_the_others()
    {
        await using var app = await CoreHost.StartAsync();
        var changes = app.Get<IpeChanges>();
        var alan = Alan with { Subject = "https://op.example#00u-alan" };
        var otherAlan = Alan with { Subject = "https://op.example#00u-alan-2" };

        var draft = await changes.SaveDraftAsync(Edited(await Ipe09Async(app)), "Stable order", alan);
        await Assert.ThrowsAsync<SegregationOfDutiesException>(() => changes.ApproveAsync(draft.Id, null, alan));
        var approved = await changes.ApproveAsync(draft.Id, "Reviewed", otherAlan);

        Assert.Equal((IpeVersionStatus.Active, "Alan Admin", alan.Subject, "Alan Admin", otherAlan.Subject),
            (approved.Status, approved.AuthoredBy, approved.AuthoredBySubject, approved.ApprovedBy, approved.ApprovedBySubject));
        var back = await changes.SaveDraftAsync(await Ipe09Async(app) with { Description = "Back again" }, null, otherAlan);
        await Assert.ThrowsAsync<SegregationOfDutiesException>(() => changes.ApproveAsync(back.Id, null, otherAlan));
        Assert.Equal(IpeVersionStatus.Active, (await changes.ApproveAsync(back.Id, null, alan)).Status);
    }

    [Fact]
    public async Task The_author_cannot_approve_or_reject_their_own_change_and_the_refusal_is_audited()
    {
        await using var app = await CoreHost.StartAsync();
        var changes = app.Get<IpeChanges>();
        var draft = await changes.SaveDraftAsync(Edited(await Ipe09Async(app)), null, Alan);

        var refused = await Assert.ThrowsAsync<SegregationOfDutiesException>(() => changes.ApproveAsync(draft.Id, null, Alan));
        Assert.Contains("another admin must approve", refused.Message);
        await Assert.ThrowsAsync<SegregationOfDutiesException>(() => changes.RejectAsync(draft.Id, "no", Alan));
        await Assert.ThrowsAsync<SegregationOfDutiesException>(() => changes.ApproveAsync(draft.Id, null, Ada with { Name = "Beth Admin" }));
        Assert.Equal(IpeVersionStatus.Draft, (await changes.VersionAsync("IPE_09", 2))!.Status);

        await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        Assert.Contains(await db.AuditTrail.ToListAsync(), a => a.Action == "ipe.approve.denied" && a.Who == "Alan Admin");
    }

    [Fact]
    public async Task A_rejected_change_never_becomes_active_and_keeps_the_reviewers_comment()
    {
        await using var app = await CoreHost.StartAsync();
        var changes = app.Get<IpeChanges>();
        var draft = await changes.SaveDraftAsync(Edited(await Ipe09Async(app)), null, Alan);

        var rejected = await changes.RejectAsync(draft.Id, "Wrong sort key", Beth);

        Assert.Equal((IpeVersionStatus.Rejected, "Beth Admin", "Wrong sort key"), (rejected.Status, rejected.RejectedBy, rejected.ReviewComment));
        Assert.Equal(1, (await app.Get<IpeCatalog>().ActiveAsync("IPE_09"))!.Number);
        await Assert.ThrowsAsync<SegregationOfDutiesException>(() => changes.ApproveAsync(draft.Id, null, Beth));
    }

    [Fact]
    public async Task Saving_checks_the_query_with_the_engine_and_refuses_missing_tables_and_columns()
    {
        await using var app = await CoreHost.StartAsync();
        var changes = app.Get<IpeChanges>();
        var ipe = await Ipe09Async(app);

        var missingTable = await Assert.ThrowsAsync<IpeChangeException>(() => changes.SaveDraftAsync(
            ipe with { Sql = ipe.Sql.Replace("FROM pg_bob_sales_order o", "FROM no_such_table o", StringComparison.Ordinal) }, null, Alan));
        Assert.Contains("EXPLAIN", missingTable.Message);
        Assert.Contains("no_such_table", missingTable.Message);

        var missingColumn = await Assert.ThrowsAsync<IpeChangeException>(() => changes.SaveDraftAsync(
            ipe with { Checks = ipe.Checks with { RequiredColumns = ["order_id", "no_such_column"] } }, null, Alan));
        Assert.Contains("Required column 'no_such_column'", missingColumn.Message);

        var forbidden = await Assert.ThrowsAsync<IpeChangeException>(() => changes.SaveDraftAsync(
            ipe with { Sql = ipe.Sql + ";\nDROP TABLE pg_bob_sales_order" }, null, Alan));
        Assert.Contains(forbidden.Problems, p => p.Line == 21 && p.Message.Contains("second statement"));

        await Assert.ThrowsAsync<IpeChangeException>(() => changes.SaveDraftAsync(ipe, "no change", Alan));
        Assert.Single(await changes.HistoryAsync("IPE_09"));
    }

    [Fact]
    public async Task Only_admins_may_change_the_catalog()
    {
        await using var app = await CoreHost.StartAsync();
        var changes = app.Get<IpeChanges>();
        await Assert.ThrowsAsync<SegregationOfDutiesException>(async () => await changes.SaveDraftAsync(Edited(await Ipe09Async(app)), null, Ada));
        await Assert.ThrowsAsync<SegregationOfDutiesException>(() => changes.TrialAsync(SeedCatalog.All[0], "2025-09", null, Ada));
        await Assert.ThrowsAsync<SegregationOfDutiesException>(() => app.Get<CatalogTransfer>().ExportAsync(Ada));
    }

    [Fact]
    public async Task A_trial_returns_the_first_100_rows_and_types_without_creating_a_run()
    {
        await using var app = await CoreHost.StartAsync();
        var (result, sql) = await app.Get<IpeChanges>().TrialAsync(Edited(await Ipe09Async(app)), "2025-09", null, Alan);

        Assert.Equal(IpeChanges.TrialRows, result.Rows.Count);
        Assert.True(result.Truncated);
        Assert.Contains(result.Columns, c => c.Name == "total_amount" && c.Type.StartsWith("decimal", StringComparison.Ordinal));
        Assert.Contains("DATE '2025-09-30'", sql);
        await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        Assert.Empty(await db.Runs.ToListAsync());
        Assert.Contains(await db.AuditTrail.ToListAsync(), a => a.Action == "ipe.trial" && a.Who == "Alan Admin");
    }

    [Fact]
    public async Task Restore_and_retire_are_drafts_that_need_approval()
    {
        await using var app = await CoreHost.StartAsync();
        var changes = app.Get<IpeChanges>();
        var catalog = app.Get<IpeCatalog>();
        await changes.ApproveAsync((await changes.SaveDraftAsync(Edited(await Ipe09Async(app)), null, Alan)).Id, null, Beth);

        var restore = await changes.RestoreAsync("IPE_09", 1, null, Beth);
        Assert.Equal((3, IpeChangeKind.Restore, IpeVersionStatus.Draft), (restore.Number, restore.ChangeKind, restore.Status));
        Assert.Equal(2, (await catalog.ActiveAsync("IPE_09"))!.Number);
        await changes.ApproveAsync(restore.Id, null, Alan);
        Assert.Equal(SeedCatalog.All.Single(i => i.Id == "IPE_09").Sql, (await catalog.ActiveAsync("IPE_09"))!.Definition.Sql);
        Assert.False((await changes.DiffAsync("IPE_09", 1, 3)).HasChanges);

        var retire = await changes.RetireAsync("IPE_09", "No longer relied on", Alan);
        Assert.NotNull(await catalog.ActiveAsync("IPE_09"));
        await changes.ApproveAsync(retire.Id, null, Beth);
        Assert.Null(await catalog.ActiveAsync("IPE_09"));
        await Assert.ThrowsAsync<RunRequestException>(() => app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, Ada));
        Assert.True((await changes.OverviewAsync()).Single(o => o.IpeId == "IPE_09").Retired);
    }

    [Fact]
    public async Task A_new_IPE_goes_through_approval_too()
    {
        await using var app = await CoreHost.StartAsync();
        var changes = app.Get<IpeChanges>();
        var ipe = (await Ipe09Async(app)) with { Id = "IPE_99", Title = "Large web-shop orders" };

        var draft = await changes.SaveDraftAsync(ipe, null, Alan);

        Assert.Equal((1, IpeChangeKind.New), (draft.Number, draft.ChangeKind));
        Assert.Null(await app.Get<IpeCatalog>().ActiveAsync("IPE_99"));
        await changes.ApproveAsync(draft.Id, null, Beth);
        Assert.NotNull(await app.Get<IpeCatalog>().ActiveAsync("IPE_99"));
    }

    [Fact]
    public async Task Export_then_import_round_trips_the_catalog_as_drafts_that_need_approval()
    {
        await using var source = await CoreHost.StartAsync();
        await source.Get<IpeChanges>().ApproveAsync((await source.Get<IpeChanges>().SaveDraftAsync(Edited(await Ipe09Async(source)), null, Alan)).Id, null, Beth);
        var exported = await source.Get<CatalogTransfer>().ExportAsync(Alan);

        await using var target = await CoreHost.StartAsync();
        var report = await target.Get<CatalogTransfer>().ImportAsync(new MemoryStream(exported), "catalog.json", Beth);

        Assert.True(report.Ok, string.Join("\n", report.Problems));
        var draft = Assert.Single(report.Drafts);
        Assert.Equal(("IPE_09", IpeChangeKind.Import, IpeVersionStatus.Draft), (draft.IpeId, draft.ChangeKind, draft.Status));
        Assert.Equal(SeedCatalog.All.Count - 1, report.Unchanged.Count);
        await target.Get<IpeChanges>().ApproveAsync(draft.Id, null, Alan);
        var again = await target.Get<CatalogTransfer>().ExportAsync(Alan);
        Assert.Equal(Ipes(exported), Ipes(again));
    }

    [Fact]
    public async Task An_import_reports_every_problem_in_the_file_and_creates_nothing()
    {
        await using var app = await CoreHost.StartAsync();
        var transfer = app.Get<CatalogTransfer>();
        var file = JsonSerializer.Deserialize<JsonElement>(await transfer.ExportAsync(Alan));
        var text = file.GetRawText()
            .Replace("ORDER BY o.order_id", "ORDER BY o.order_id; DELETE FROM pg_bob_sales_order", StringComparison.Ordinal)
            .Replace("\"process_central_fin_dwh\"", "\"no_such_database\"", StringComparison.Ordinal);

        var report = await transfer.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), "bad.json", Beth);

        Assert.Empty(report.Drafts);
        Assert.Contains(report.Problems, p => p.StartsWith("IPE_09: Line", StringComparison.Ordinal) && p.Contains("second statement"));
        Assert.Contains(report.Problems, p => p.StartsWith("IPE_07:", StringComparison.Ordinal) && p.Contains("no_such_database"));
        Assert.All((await app.Get<IpeChanges>().OverviewAsync()), o => Assert.Equal(1, o.Latest.Number));

        var broken = await transfer.ImportAsync(new MemoryStream("{ \"format\": "u8.ToArray()), "broken.json", Beth);
        Assert.Contains("broken.json: not valid JSON (line 1", Assert.Single(broken.Problems));
    }

    private static string Ipes(byte[] export) => JsonSerializer.Deserialize<JsonElement>(export).GetProperty("ipes").GetRawText();
}
