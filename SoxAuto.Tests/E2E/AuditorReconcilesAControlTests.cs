using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SoxAuto.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace SoxAuto.Tests.E2E;

/// <summary>An auditor, in a real browser against the real app: reconcile C-PG-1 for 2025-09 from the
/// catalog, find the one line outside its threshold, and open the rows behind it (IPE_12's extract rows and
/// CR_03's G/L entries of EC_KE on 13024), down to the manual journal with nothing behind it.</summary>
public sealed class AuditorReconcilesAControlTests : IAsyncLifetime
{
    private SoxAutoApp? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await Browser.LaunchAsync();
        _app = SoxAutoApp.Start();
    }

    [Fact]
    public async Task An_auditor_reconciles_C_PG_1_for_2025_09_from_the_catalog_and_drills_down_from_the_planted_difference_to_its_rows()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = _app!.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync("/signin");
        await page.Locator("button[data-person=ada]").ClickAsync();
        await Expect(page.Locator("[data-testid=signed-in-person]")).ToContainTextAsync("Ada Auditor");

        // The catalog: C-PG-1 has never been reconciled; reconcile 2025-09.
        await page.GotoAsync("/");
        await Browser.WaitForInteractiveAsync(page);
        var control = page.Locator("[data-testid=controls] tr[data-control=C-PG-1]");
        await Expect(control.Locator("[data-testid=reconciliations]")).ToContainTextAsync("Never reconciled");
        await control.Locator("input").FillAsync("2025-09");
        await control.Locator("button[data-testid=reconcile]").ClickAsync();

        // The reconciliation's page follows it (and the IPE runs it starts) until it ends.
        await page.WaitForURLAsync(new Regex(@"/reconciliations/\d+$"));
        var state = page.Locator("[data-testid=run-state]").First;
        await Expect(state).ToHaveAttributeAsync("data-state", new Regex("^(Succeeded|Failed|Cancelled)$"),
            new LocatorAssertionsToHaveAttributeOptions { Timeout = 600_000 });
        Assert.True(await state.GetAttributeAsync("data-state") == "Succeeded", await page.Locator("[data-testid=run-message]").InnerTextAsync());
        await Expect(page.Locator("[data-testid=reconciles]")).ToHaveAttributeAsync("data-reconciles", "false");
        await Expect(page.Locator("[data-testid=workbook-sha256]")).ToHaveTextAsync(new Regex("^[0-9a-f]{64}$"));

        // Exactly one line outside: EC_KE 13024, 250,000.00 KES; JM_EG 18304's 420.50 EGP is within.
        var lines = page.Locator("[data-testid=lines] tbody tr");
        await Expect(lines).ToHaveCountAsync(99);
        var outside = page.Locator("[data-testid=lines] tbody tr[data-status=outside]");
        await Expect(outside).ToHaveCountAsync(1);
        Assert.Equal(("13024", "EC_KE"), (await outside.GetAttributeAsync("data-account"), await outside.GetAttributeAsync("data-company")));
        await Expect(outside.Locator("[data-testid=difference]")).ToHaveTextAsync("250,000.00");
        var small = page.Locator("[data-testid=lines] tbody tr[data-account='18304'][data-company=JM_EG]");
        await Expect(small.Locator("[data-testid=difference]")).ToHaveTextAsync("420.50");
        await Expect(small).ToHaveAttributeAsync("data-status", "within");
        var reconciliationUrl = page.Url;

        // The drill-down: IPE_12's 14 rows on 13024 for EC_KE, and the 16 G/L entries, among them the manual journal.
        await outside.Locator("[data-testid=rows-behind]").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/reconciliations/\d+/lines/\d+$"));
        await Browser.WaitForInteractiveAsync(page);
        await Expect(page.Locator("h1")).ToContainTextAsync("EC_KE");
        var ipeRows = page.Locator("[data-testid=rows-IPE_12]");
        await Expect(ipeRows.Locator("[data-testid=rows-count]")).ToHaveTextAsync("14");
        await Expect(ipeRows.Locator("[data-testid=rows-total]")).ToHaveTextAsync("327,110.00");
        await Expect(ipeRows.Locator("tbody tr")).ToHaveCountAsync(14);
        var entries = page.Locator("[data-testid=rows-CR_03]");
        await Expect(entries.Locator("[data-testid=rows-count]")).ToHaveTextAsync("16");
        await Expect(entries.Locator("tbody tr")).ToHaveCountAsync(16);
        var journal = entries.Locator("tbody tr").Filter(new LocatorFilterOptions { HasTextString = "1869417" });
        await Expect(journal).ToHaveCountAsync(1);
        await Expect(journal).ToContainTextAsync("MJ-KE-2025-09-017");

        // Back in the catalog, C-PG-1's 2025-09 does not reconcile, and links to this reconciliation.
        await page.GotoAsync("/");
        var period = control.Locator("[data-testid=reconciliations] [data-period='2025-09']");
        await Expect(period.Locator("[data-testid=reconciles]")).ToHaveAttributeAsync("data-reconciles", "false");
        var path = new Uri(reconciliationUrl).AbsolutePath;
        Assert.EndsWith(path, await period.Locator("a").GetAttributeAsync("href"));

        // Runs and evidence lists it among the runs; its run address leads to its own page.
        await page.GotoAsync("/runs");
        await Expect(page.Locator($"[data-testid=runs] a[href='{path}']")).ToHaveTextAsync($"reconciliation {path.Split('/')[^1]}");
        await page.GotoAsync($"/runs/{path.Split('/')[^1]}");
        await page.WaitForURLAsync(reconciliationUrl);
        await Expect(page.Locator("[data-testid=lines]")).ToBeVisibleAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
    }
}
