using System.Security.Cryptography;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Playwright;
using SoxAuto.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace SoxAuto.Tests.E2E;

/// <summary>An auditor, in a real browser against the real app: sign in, run IPE_09 for 2025-09,
/// watch it finish, preview the data, download both files and check them against the page.</summary>
public sealed class AuditorRunsAnIpeTests : IAsyncLifetime
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
    public async Task An_auditor_runs_IPE_09_for_2025_09_and_each_download_hashes_to_the_SHA256_on_the_page()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _app!.BaseAddress.ToString(),
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);

        // Sign in as an auditor on the local demo sign-in page.
        await page.GotoAsync("/signin");
        await Expect(page.Locator(".demo-banner")).ToContainTextAsync("not for production");
        await page.Locator("button[data-person=ada]").ClickAsync();
        await Expect(page.Locator("[data-testid=signed-in-person]")).ToContainTextAsync("Ada Auditor");

        // The run page: pick IPE_09, type the period, read what it means, run.
        await page.GotoAsync("/run");
        await Browser.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid=ipe-select]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasTextString = "IPE_09" }).ClickAsync();
        await Expect(page.Locator("[data-testid=ipe-summary]")).ToBeVisibleAsync();
        await page.Locator("input[data-testid=period]").FillAsync("2025-09");
        await Expect(page.Locator("[data-testid=period-start]")).ToHaveTextAsync("2025-09-01");
        await Expect(page.Locator("[data-testid=period-end]")).ToHaveTextAsync("2025-09-30");
        await Expect(page.Locator("[data-testid=next-period-start]")).ToHaveTextAsync("2025-10-01");
        await page.Locator("button[data-testid=run-ipe]").ClickAsync();

        // The run's page follows it live until it ends.
        await page.WaitForURLAsync(new Regex(@"/runs/\d+$"));
        var state = page.Locator("h1 + [data-testid=run-state], [data-testid=run-state]").First;
        await Expect(state).ToHaveAttributeAsync("data-state", new Regex("^(Succeeded|Failed|Cancelled)$"),
            new LocatorAssertionsToHaveAttributeOptions { Timeout = 300_000 });
        var message = await page.Locator("[data-testid=run-message]").InnerTextAsync();
        Assert.True(await state.GetAttributeAsync("data-state") == "Succeeded", $"The run did not succeed: {message}");
        Assert.Equal("Ada Auditor", (await page.Locator("[data-testid=run-by]").InnerTextAsync()).Trim());

        // The preview reads the stored extract.
        var previewRows = page.Locator("[data-testid=preview] tbody tr");
        await Expect(previewRows.First).ToBeVisibleAsync();
        Assert.True(await previewRows.CountAsync() > 0);

        // Each file downloaded from the page hashes to the SHA-256 the page shows.
        var workbookSha = (await page.Locator("[data-testid=workbook-sha256]").InnerTextAsync()).Trim();
        var extractSha = (await page.Locator("[data-testid=extract-sha256]").InnerTextAsync()).Trim();
        Assert.Matches("^[0-9a-f]{64}$", workbookSha);
        Assert.Matches("^[0-9a-f]{64}$", extractSha);

        var workbook = await DownloadAsync(page, "[data-testid=download-workbook]");
        Assert.Matches(@"^IPE_09_2025-09_run-\d+\.xlsx$", Path.GetFileName(workbook));
        Assert.Equal(workbookSha, Sha256(workbook));
        using (var xlsx = SpreadsheetDocument.Open(workbook, isEditable: false))
            Assert.NotEmpty(xlsx.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>());

        var extract = await DownloadAsync(page, "[data-testid=download-extract]");
        Assert.Matches(@"^IPE_09_2025-09_run-\d+\.csv$", Path.GetFileName(extract));
        Assert.Equal(extractSha, Sha256(extract));
    }

    private async Task<string> DownloadAsync(IPage page, string button)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(button).ClickAsync());
        var path = Path.Combine(_downloads, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        return path;
    }

    private static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        try { Directory.Delete(_downloads, recursive: true); } catch (IOException) { }
    }
}
