using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SoxAuto.Core.Reconciliations;
using SoxAuto.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace SoxAuto.Tests.E2E;

/// <summary>A threshold change in a real browser: Alan gives EC_KE 13024 a threshold of its own from the catalog,
/// cannot approve it himself, Beth reads the changed line and approves it, and it becomes C-PG-1's active version.</summary>
public sealed class AdminChangesAThresholdTests : IAsyncLifetime
{
    private SoxAutoApp? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await Browser.LaunchAsync();
        _app = SoxAutoApp.Start();
    }

    private async Task<IPage> SignInAsync(string person, string name)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = _app!.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync("/signin");
        await page.Locator($"button[data-person={person}]").ClickAsync();
        await Expect(page.Locator("[data-testid=signed-in-person]")).ToContainTextAsync(name);
        return page;
    }

    [Fact]
    public async Task Alan_drafts_a_threshold_for_EC_KE_13024_cannot_approve_it_and_Beths_approval_makes_it_active()
    {
        var alan = await SignInAsync("alan", "Alan Admin");
        await alan.GotoAsync("/");
        await Browser.WaitForInteractiveAsync(alan);
        await alan.Locator("[data-testid=controls] tr[data-control=C-PG-1] [data-testid=thresholds-link]").ClickAsync();
        await alan.WaitForURLAsync("**/admin/controls/C-PG-1");
        await Browser.WaitForInteractiveAsync(alan);
        await alan.Locator("button[data-testid=add-threshold]").ClickAsync();
        await alan.Locator("input[aria-label='Threshold 1 G/L account']").FillAsync("13024");
        await alan.Locator("input[aria-label='Threshold 1 company']").FillAsync("EC_KE");
        await alan.Locator("input[aria-label='Threshold 1 amount']").FillAsync("260000");
        await alan.Locator("input[aria-label='Threshold 1 reason']").FillAsync("Manual journal MJ-KE-2025-09-017 under review");
        await alan.Locator("input[data-testid=change-comment]").FillAsync("Until the partner's statement arrives");
        await alan.Locator("button[data-testid=save-draft]").ClickAsync();
        await Expect(alan.Locator("[data-testid=review-panel]")).ToContainTextAsync("Draft version 2");

        // The service refuses Alan's approval of his own draft; the page shows why and nothing changes.
        await alan.Locator("button[data-testid=approve]").ClickAsync();
        await Expect(alan.Locator("[data-testid=review-error]")).ToContainTextAsync("another admin must approve");
        Assert.Equal(1, (await Controls.ActiveAsync("C-PG-1"))!.Number);

        // Beth reads exactly the changed line and approves.
        var beth = await SignInAsync("beth", "Beth Admin");
        await beth.GotoAsync("/admin/controls/C-PG-1");
        await Browser.WaitForInteractiveAsync(beth);
        var changed = beth.Locator("[data-testid=diff-settings] tr.changed");
        await Expect(changed).ToHaveCountAsync(1);
        await Expect(changed.Locator("td[data-change=Inserted]")).ToHaveTextAsync(
            "Threshold 13024 EC_KE: 260,000.00 (Manual journal MJ-KE-2025-09-017 under review)");
        await beth.Locator("button[data-testid=approve]").ClickAsync();
        await Expect(beth.Locator("[data-testid=review-panel]")).ToHaveCountAsync(0);
        await Expect(beth.Locator("[data-testid=history] tbody tr").First).ToContainTextAsync("Active");

        var active = (await Controls.ActiveAsync("C-PG-1"))!;
        Assert.Equal((2, "Alan Admin", "Beth Admin"), (active.Number, active.AuthoredBy, active.ApprovedBy));
        Assert.Equal(260_000m, active.Definition.ThresholdFor("13024", "EC_KE"));
        Assert.Equal(1_000m, active.Definition.ThresholdFor("13024", "EC_NG"));
    }

    private ControlChanges Controls => _app!.Services.GetRequiredService<ControlChanges>();

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
    }
}
