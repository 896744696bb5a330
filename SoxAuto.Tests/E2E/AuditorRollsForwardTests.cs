using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SoxAuto.Tests.Core.Evidence;
using SoxAuto.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace SoxAuto.Tests.E2E;

/// <summary>An auditor in a real browser opens the roll-forward of September's G/L balances from the run page:
/// the movement chart and its table against August, and the roll-forward workbook.</summary>
public sealed class AuditorRollsForwardTests : IAsyncLifetime
{
    private SoxAutoApp? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private readonly string _downloads = Directory.CreateTempSubdirectory("soxauto-downloads-").FullName;

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await Browser.LaunchAsync();
        _app = SoxAutoApp.Start();
    }

    [Fact]
    public async Task An_auditor_opens_the_roll_forward_from_the_run_page_and_reads_the_movement_by_account_and_company_and_downloads_it()
    {
        var august = await _app!.RunToEndAsync("CR_04", "2025-08", "Ada Auditor");
        var september = await _app.RunToEndAsync("CR_04", "2025-09", "Ada Auditor");

        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = _app.BaseAddress.ToString(), AcceptDownloads = true });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync("/signin");
        await page.Locator("button[data-person=ada]").ClickAsync();
        await Expect(page.Locator("[data-testid=signed-in-person]")).ToContainTextAsync("Ada Auditor");

        await page.GotoAsync($"/runs/{september.Id}");
        await Browser.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid=open-rollforward]").ClickAsync();
        await page.WaitForURLAsync(new Regex($@"/runs/{september.Id}/roll-forward$"));

        await Expect(page.Locator("[data-testid=rollforward]")).ToContainTextAsync($"run {august.Id}");
        await Expect(page.Locator("[data-testid=rollforward-keys]")).ToContainTextAsync("0 new keys (only in 2025-09), 0 removed keys (only in 2025-08)");
        var chart = page.Locator("svg[data-testid=by-account-chart]");
        await Expect(chart).ToHaveAttributeAsync("role", "img");
        await Expect(chart.Locator("title")).ToHaveTextAsync("Movement by G/L account, 2025-08 to 2025-09");
        await Expect(page.Locator("[data-testid=by-account-table] tbody tr")).ToHaveCountAsync(19 + 1); // the 19 balance-sheet accounts and all rows
        await Expect(page.Locator("[data-testid=by-company-table] tbody tr")).ToHaveCountAsync(9 + 1);
        await Expect(page.Locator("[data-testid=by-company-table] tbody tr", new() { HasText = "EC_KE" })).ToBeVisibleAsync();

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=rollforward-workbook]").ClickAsync());
        var file = Path.Combine(_downloads, download.SuggestedFilename);
        await download.SaveAsAsync(file);
        Assert.Equal($"CR_04_2025-09_run-{september.Id}_roll-forward.xlsx", Path.GetFileName(file));
        using var workbook = new WorkbookReadBack(file);
        Assert.Equal("Roll-forward", workbook.SheetNames[0]);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        TempDataFolder.DeleteQuietly(_downloads);
    }
}
