using Bunit;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Schedules;
using SoxAuto.Web.Auth;
using SoxAuto.Web.Components.Pages.Admin.Schedules;
using SoxAuto.Web.Components.Pages.Catalog;

namespace SoxAuto.Tests.Components;

/// <summary>An admin schedules C-PG-1 for period close on the schedules page; the change goes through Core (audited
/// under the admin's name); a schedule that could never fire is refused with the reason; the catalog shows what is coming.</summary>
public sealed class SchedulesPageTests : IAsyncLifetime
{
    // Generous: a loaded machine renders late; the condition ends the wait as soon as it holds.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private ComponentHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await BatchPagesTests.StartAsync("Alan Admin", Roles.Admin);
        _host.Authorization.SetPolicies(Policies.Admin, Policies.ViewRuns);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_admin_creates_and_pauses_a_business_day_schedule_and_the_catalog_shows_its_next_due_time()
    {
        var page = _host.Context.Render<SchedulesPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=no-schedules]"), Patience);
        page.Find("input[data-testid=schedule-name]").Input("c-pg-1-month-end");
        page.Find("input[data-testid=schedule-zone]").Input("Europe/Berlin");
        await page.Find("[data-testid=schedule-save]").ClickAsync(new());

        page.WaitForAssertion(() => page.Find("[data-testid=schedules] tr[data-schedule='c-pg-1-month-end']"), Patience);
        await using (var db = await _host.DbAsync())
        {
            var s = await db.Schedules.SingleAsync();
            Assert.Equal(("C-PG-1", "0 6 * * *", (int?)2, "Europe/Berlin", PeriodRule.PreviousMonth, "Alan Admin"),
                (s.TargetId, s.Cron, s.BusinessDay, s.TimeZone, s.Period, s.CreatedBy));
            Assert.Single(await db.AuditTrail.Where(e => e.Action == "schedule.created" && e.Who == "Alan Admin").ToListAsync());
        }

        var catalog = _host.Context.Render<CatalogPage>();
        catalog.WaitForAssertion(() => Assert.Equal(3, catalog.FindAll("[data-testid=scheduled-runs] tr[data-schedule='c-pg-1-month-end'] [data-testid=upcoming] div").Count), Patience);

        await page.Find("[data-testid=schedule-pause]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("(paused)", page.Find("tr[data-schedule='c-pg-1-month-end']").TextContent), Patience);
        await using (var db = await _host.DbAsync())
            Assert.True((await db.Schedules.SingleAsync()).Paused);
    }

    [Fact]
    public async Task A_schedule_in_an_unknown_time_zone_is_refused_with_the_reason_and_nothing_is_saved()
    {
        var page = _host.Context.Render<SchedulesPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=no-schedules]"), Patience);
        page.Find("input[data-testid=schedule-name]").Input("c-pg-1-month-end");
        page.Find("input[data-testid=schedule-zone]").Input("Mars/Olympus");
        await page.Find("[data-testid=schedule-save]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("'Mars/Olympus' is not a time zone", page.Find("[data-testid=schedule-error]").TextContent), Patience);
        await using var db = await _host.DbAsync();
        Assert.Empty(await db.Schedules.ToListAsync());
    }
}
