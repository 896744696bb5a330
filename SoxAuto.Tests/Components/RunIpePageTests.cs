using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Web.Auth;
using SoxAuto.Web.Components.Pages.Runs;

namespace SoxAuto.Tests.Components;

/// <summary>The Run IPE page against the real RunService and a real SQLite database (no worker: the
/// run stays Queued, which is all the page is responsible for).</summary>
public sealed class RunIpePageTests : IAsyncLifetime
{
    private static readonly IpeDefinition Orders = TestIpes.Orders(TestIpes.OrdersSql + " AND company IN ({{companies}})") with
    {
        Parameters = [new ParameterDefinition("companies", ParameterType.TextList, Pattern: "^[A-Z]{2}_[A-Z]{2}$", Default: "EC_NG", Description: "Company codes")],
        TypicalRows = 40_000,
    };

    private static readonly IpeDefinition Ledger = new()
    {
        Id = "IPE_T2",
        Title = "Test ledger",
        Description = "All ledger entries up to the cutoff.",
        Control = "C-TEST-2",
        Database = "process_central_fin_dwh",
        Sql = "SELECT * FROM gl WHERE posting_date <= {{period_end}}",
        TypicalRows = 2_400_000,
    };

    private ComponentHost _host = null!;
    private BunitContext _ctx = null!;

    public async Task InitializeAsync()
    {
        _host = await ComponentHost.StartAsync("Ada Auditor", Roles.Auditor);
        _ctx = _host.Context;
        await _host.Get<IpeCatalog>().SeedAsync([Orders, Ledger]);
    }

    [Fact]
    public void A_malformed_period_shows_why_and_Run_IPE_stays_disabled()
    {
        var page = RenderPage(ipe: "IPE_T1");

        page.Find("input[data-testid=period]").Input("2025-13");

        Assert.Contains("the month must be 01 to 12", page.Markup);
        Assert.Empty(page.FindAll("[data-testid=period-meaning]"));
        Assert.True(page.Find("button[data-testid=run-ipe]").HasAttribute("disabled"));
    }

    [Fact]
    public void A_period_that_has_not_ended_is_refused()
    {
        var page = RenderPage(ipe: "IPE_T1");

        page.Find("input[data-testid=period]").Input($"{DateTime.UtcNow.Year + 1}-01");

        Assert.Contains("has not ended yet", page.Markup);
        Assert.True(page.Find("button[data-testid=run-ipe]").HasAttribute("disabled"));
    }

    [Theory]
    [InlineData("2025-09", "2025-09-01", "2025-09-30", "2025-10-01")]
    [InlineData("2025-Q3", "2025-07-01", "2025-09-30", "2025-10-01")]
    [InlineData("2024", "2024-01-01", "2024-12-31", "2025-01-01")]
    [InlineData("2025-09-15", "2025-09-01", "2025-09-15", "2025-09-16")]
    public void A_valid_period_shows_its_start_its_inclusive_cutoff_and_the_exclusive_next_start(
        string text, string start, string cutoff, string next)
    {
        var page = RenderPage(ipe: "IPE_T1");

        page.Find("input[data-testid=period]").Input(text);

        Assert.Equal(start, page.Find("[data-testid=period-start]").TextContent);
        Assert.Equal(cutoff, page.Find("[data-testid=period-end]").TextContent);
        Assert.Equal(next, page.Find("[data-testid=next-period-start]").TextContent);
        var meaning = page.Find("[data-testid=period-meaning]").TextContent;
        Assert.Contains("the last day, included", meaning);
        Assert.Contains("not included (the exclusive bound)", meaning);
        Assert.False(page.Find("button[data-testid=run-ipe]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Run_IPE_records_a_queued_run_for_the_signed_in_person_and_opens_its_page()
    {
        var popovers = _ctx.Render<MudPopoverProvider>();
        var page = RenderPage();
        Assert.True(page.Find("button[data-testid=run-ipe]").HasAttribute("disabled"));

        // Choose the IPE the way a person does: open the list, click the entry.
        page.Find("[data-testid=ipe-select]").MouseDown();
        popovers.WaitForElements(".mud-popover-open .mud-list-item");
        popovers.FindAll(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Contains("IPE_T1")).Click();
        page.WaitForAssertion(() => Assert.Contains("Every test order of the period.", page.Markup));
        Assert.Equal("EC_NG", page.Find("input[data-testid=parameter-companies]").GetAttribute("value"));
        page.Find("input[data-testid=period]").Input("2025-09");
        page.Find("button[data-testid=run-ipe]").Click();

        var nav = _ctx.Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Matches(@"/runs/\d+$", nav.Uri));
        var runId = int.Parse(nav.Uri[(nav.Uri.LastIndexOf('/') + 1)..]);
        await using var db = await _host.DbAsync();
        var run = await db.Runs.SingleAsync(r => r.Id == runId);
        Assert.Equal(("IPE_T1", "2025-09", "Ada Auditor", RunState.Queued), (run.IpeId, run.PeriodText, run.RequestedBy, run.State));
        Assert.Equal(["EC_NG"], run.Parameters.Single(p => p.Name == "companies").Values);
        var requested = await db.AuditTrail.SingleAsync(a => a.Action == "run.requested");
        Assert.Equal(("Ada Auditor", $"run/{runId}", "192.0.2.10"), (requested.Who, requested.Subject, requested.Origin));
    }

    [Fact]
    public async Task A_parameter_the_service_refuses_shows_its_message_and_no_run_is_written()
    {
        var page = RenderPage(ipe: "IPE_T1");
        page.Find("input[data-testid=period]").Input("2025-09");
        page.Find("input[data-testid=parameter-companies]").Input("EC_NG, nigeria'; DROP TABLE x; --");

        page.Find("button[data-testid=run-ipe]").Click();

        page.WaitForAssertion(() => Assert.Contains("is not a valid value for companies", page.Find("[data-testid=run-error]").TextContent));
        Assert.EndsWith("/run?ipe=IPE_T1", _ctx.Services.GetRequiredService<NavigationManager>().Uri);
        await using var db = await _host.DbAsync();
        Assert.Equal(0, await db.Runs.CountAsync());
    }

    [Fact]
    public void A_large_IPE_is_announced_before_the_run_and_a_small_one_is_not()
    {
        var large = RenderPage(ipe: "IPE_T2");
        var warning = large.Find("[data-testid=large-run-warning]").TextContent;
        Assert.Contains("2,400,000 rows", warning);
        Assert.Contains("several sheets (1,048,575 data rows per sheet)", warning);

        var small = RenderPage(ipe: "IPE_T1");
        Assert.Empty(small.FindAll("[data-testid=large-run-warning]"));
    }

    private IRenderedComponent<RunIpePage> RenderPage(string? ipe = null)
    {
        // As a link from the catalog does: /run?ipe=IPE_T1.
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo(ipe is null ? "/run" : $"/run?ipe={ipe}");
        var page = _ctx.Render<RunIpePage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=ipe-select]")));
        if (ipe is not null)
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=ipe-summary]")));
        return page;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();
}
