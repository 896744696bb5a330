using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Batches;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Reconciliations;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Web.Auth;
using SoxAuto.Web.Components.Pages.Batches;
using SoxAuto.Web.Components.Pages.Catalog;

namespace SoxAuto.Tests.Components;

/// <summary>Run all from the catalog: one batch of every approved IPE of the control and its reconciliation,
/// written at once; the batch page follows its runs live and shows how it ended.</summary>
public sealed class BatchPagesTests : IAsyncLifetime
{
    // Generous: a loaded machine renders late; the condition ends the wait as soon as it holds.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private ComponentHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await StartAsync("Ada Auditor", Roles.Auditor);
        _host.Authorization.SetPolicies(Policies.RunIpe, Policies.ViewRuns);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    internal static async Task<ComponentHost> StartAsync(string person, params string[] roles)
    {
        var host = await ComponentHost.StartAsync(person, roles);
        await host.Get<IpeCatalog>().SeedAsync(SeedCatalog.All);
        await host.Get<ControlChanges>().SeedAsync(SeedControls.All);
        return host;
    }

    [Fact]
    public async Task Run_all_on_the_catalog_writes_one_batch_of_every_IPE_then_the_reconciliation_and_its_page_shows_the_outcome_live()
    {
        var catalog = _host.Context.Render<CatalogPage>();
        catalog.WaitForAssertion(() => catalog.Find("[data-control='C-PG-1'] input[data-testid=reconcile-period]"), Patience);
        catalog.Find("[data-control='C-PG-1'] input[data-testid=reconcile-period]").Input("2025-09");
        await catalog.Find("[data-control='C-PG-1'] [data-testid=run-control]").ClickAsync(new());

        catalog.WaitForAssertion(() => Assert.Matches("/batches/[0-9]+$", _host.Navigation.Uri), Patience);
        var id = int.Parse(_host.Navigation.Uri.Split('/')[^1]);
        await using (var db = await _host.DbAsync())
        {
            var batch = await db.Batches.SingleAsync();
            Assert.Equal((id, "C-PG-1", "2025-09", "Ada Auditor"), (batch.Id, batch.ControlId, batch.PeriodText, batch.RequestedBy));
            var runs = await db.Runs.OrderBy(r => r.Id).ToListAsync();
            Assert.Equal(SeedCatalog.All.Count + 1, runs.Count);
            Assert.All(runs, r => Assert.Equal((id, RunState.Queued, "Ada Auditor"), (r.BatchId!.Value, r.State, r.RequestedBy)));
            Assert.Equal(RunKind.Reconciliation, runs[^1].Kind);
            Assert.Single(await db.AuditTrail.Where(e => e.Action == "batch.requested" && e.Subject == $"batch/{id}").ToListAsync());
        }

        var page = _host.Context.Render<BatchPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Equal(SeedCatalog.All.Count + 1, page.FindAll("[data-testid=batch-runs] tr[data-run]").Count), Patience);
        Assert.Equal("Running", page.Find("[data-testid=batch-outcome]").GetAttribute("data-outcome"));

        // Every run ends (as the worker would end them); the batch ends, and the open page says so without a reload.
        await using (var db = await _host.DbAsync())
            await db.Runs.ExecuteUpdateAsync(u => u.SetProperty(r => r.State, RunState.Succeeded).SetProperty(r => r.Message, "Done."));
        await _host.Get<BatchEnding>().EndIfDoneAsync(id);
        page.WaitForAssertion(() => Assert.Equal("Succeeded", page.Find("[data-testid=batch-outcome]").GetAttribute("data-outcome")), Patience);
        Assert.Contains($"All {SeedCatalog.All.Count + 1} runs succeeded, and the control reconciles.", page.Find("[data-testid=batch-outcome]").TextContent);
    }

    [Fact]
    public async Task Run_all_for_a_period_that_has_not_ended_says_why_and_writes_nothing()
    {
        var catalog = _host.Context.Render<CatalogPage>();
        catalog.WaitForAssertion(() => catalog.Find("[data-control='C-PG-1'] input[data-testid=reconcile-period]"), Patience);
        catalog.Find("[data-control='C-PG-1'] input[data-testid=reconcile-period]").Input("2099-01");
        await catalog.Find("[data-control='C-PG-1'] [data-testid=run-control]").ClickAsync(new());

        catalog.WaitForAssertion(() => Assert.Contains("2099-01", catalog.Find("[data-testid=reconcile-error]").TextContent), Patience);
        await using var db = await _host.DbAsync();
        Assert.Empty(await db.Batches.ToListAsync());
        Assert.Empty(await db.Runs.ToListAsync());
    }

    [Fact]
    public async Task An_auditor_sees_another_persons_batch_as_missing_and_the_attempt_is_recorded()
    {
        var batch = await _host.Get<BatchService>().RequestAsync("C-PG-1", "2025-09", new Actor("Bob Auditor", "test") { Subject = TestPeople.SubjectOf("Bob Auditor") });

        var page = _host.Context.Render<BatchPage>(p => p.Add(x => x.Id, batch.Id));

        page.WaitForAssertion(() => page.Find("[data-testid=batch-missing]"), Patience);
        Assert.Empty(page.FindAll("[data-testid=batch-runs]"));
        await using var db = await _host.DbAsync();
        Assert.Single(await db.AuditTrail.Where(e => e.Action == "access.denied" && e.Subject == $"/batches/{batch.Id}" && e.Who == "Ada Auditor").ToListAsync());
    }
}
