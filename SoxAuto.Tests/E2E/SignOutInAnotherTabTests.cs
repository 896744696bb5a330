using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SoxAuto.Core.Data;
using SoxAuto.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace SoxAuto.Tests.E2E;

/// <summary>Ada has SoxAuto open in two tabs of one browser and signs out in one. The other tab's page
/// keeps its connection to the server, but not her rights: it cannot act as her any more.</summary>
public sealed class SignOutInAnotherTabTests : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync() => (_playwright, _browser) = await Browser.LaunchAsync();

    [Fact]
    public async Task After_signing_out_in_one_tab_Run_IPE_in_the_other_creates_no_run_and_the_page_says_the_session_ended()
    {
        // The page's own periodic check is far away: the action itself must find the session ended.
        await using var app = SoxAutoApp.Start(settings: new Dictionary<string, string?> { ["SoxAuto:Auth:SessionCheckInterval"] = "01:00:00" });
        var (signOutTab, runTab) = await TwoSignedInTabsAsync(app);
        await runTab.GotoAsync("/run");
        await Browser.WaitForInteractiveAsync(runTab);
        await runTab.Locator("[data-testid=ipe-select]").ClickAsync();
        await runTab.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasTextString = "IPE_09" }).ClickAsync();
        await runTab.Locator("input[data-testid=period]").FillAsync("2025-09");
        await Expect(runTab.Locator("[data-testid=period-end]")).ToHaveTextAsync("2025-09-30");

        await SignOutAsync(signOutTab);
        await runTab.Locator("button[data-testid=run-ipe]").ClickAsync();

        await runTab.WaitForURLAsync(new Regex("/signin\\?ended=1"));
        await Expect(runTab.Locator("[data-testid=session-ended]")).ToContainTextAsync("Your session has ended");
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Runs.CountAsync());
        Assert.False(await db.AuditTrail.AnyAsync(a => a.Action == "run.requested"));
    }

    [Fact]
    public async Task After_signing_out_in_one_tab_the_other_tab_goes_to_the_sign_in_page_by_itself()
    {
        await using var app = SoxAutoApp.Start(settings: new Dictionary<string, string?> { ["SoxAuto:Auth:SessionCheckInterval"] = "00:00:01" });
        var (signOutTab, openTab) = await TwoSignedInTabsAsync(app);
        await openTab.GotoAsync("/runs");
        await Browser.WaitForInteractiveAsync(openTab);

        await SignOutAsync(signOutTab);

        await openTab.WaitForURLAsync(new Regex("/signin\\?ended=1"), new PageWaitForURLOptions { Timeout = 60_000 });
        await Expect(openTab.Locator("[data-testid=session-ended]")).ToBeVisibleAsync();
    }

    private async Task<(IPage, IPage)> TwoSignedInTabsAsync(SoxAutoApp app)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        var first = await context.NewPageAsync();
        first.SetDefaultTimeout(30_000);
        await first.GotoAsync("/signin");
        await first.Locator("button[data-person=ada]").ClickAsync();
        await Expect(first.Locator("[data-testid=signed-in-person]")).ToContainTextAsync("Ada Auditor");
        var second = await context.NewPageAsync();   // same browser, same cookie
        second.SetDefaultTimeout(30_000);
        return (first, second);
    }

    private static async Task SignOutAsync(IPage tab)
    {
        await tab.GotoAsync("/");
        await tab.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign out" }).ClickAsync();
        await tab.WaitForURLAsync(new Regex("/signin"));
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
