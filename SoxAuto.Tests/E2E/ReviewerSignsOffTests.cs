using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SoxAuto.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace SoxAuto.Tests.E2E;

/// <summary>Two people in a real browser against the real app: an auditor runs an IPE; a reviewer finds
/// it in the review queue, approves it with a comment, downloads its evidence package, and the Verify
/// page accepts that package.</summary>
public sealed class ReviewerSignsOffTests : IAsyncLifetime
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
    public async Task An_auditor_runs_an_IPE_a_reviewer_approves_it_with_a_comment_and_the_verify_page_accepts_its_package()
    {
        // The auditor runs IPE_09 for 2025-09.
        var ada = await SignedInPageAsync("ada", "Ada Auditor");
        await ada.GotoAsync("/run?ipe=IPE_09");
        await Browser.WaitForInteractiveAsync(ada);
        await Expect(ada.Locator("[data-testid=ipe-summary]")).ToBeVisibleAsync();
        await ada.Locator("input[data-testid=period]").FillAsync("2025-09");
        await Expect(ada.Locator("[data-testid=period-end]")).ToHaveTextAsync("2025-09-30");
        await ada.Locator("button[data-testid=run-ipe]").ClickAsync();
        await ada.WaitForURLAsync(new Regex(@"/runs/\d+$"));
        var runId = int.Parse(Regex.Match(ada.Url, @"/runs/(\d+)$").Groups[1].Value);
        await Expect(ada.Locator("[data-testid=run-state]").First).ToHaveAttributeAsync("data-state", "Succeeded",
            new LocatorAssertionsToHaveAttributeOptions { Timeout = 300_000 });
        await Expect(ada.Locator("[data-testid=review-state]")).ToHaveAttributeAsync("data-review", "AwaitingReview");

        // The reviewer finds it in the queue, approves it with a comment.
        var rita = await SignedInPageAsync("rita", "Rita Reviewer");
        await rita.GotoAsync("/review");
        // A link clicked while the circuit is still starting changed the address but the page never followed
        // (the queue stayed on screen for 120 s in one run): click once the page is interactive.
        await Browser.WaitForInteractiveAsync(rita);
        await rita.Locator($"[data-testid=review-queue] tr[data-run='{runId}'] a").ClickAsync();
        await rita.WaitForURLAsync(new Regex($@"/review/{runId}$"));
        await Browser.WaitForInteractiveAsync(rita);
        // The layout's interactive marker stays through an in-app navigation, so wait for the review page's
        // own form; on a busy machine loading the run, its sign-off and its IPE diff once took over 30 s.
        await Expect(rita.Locator("[data-testid=signoff-form]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 120_000 });
        await rita.Locator("textarea[data-testid=signoff-comment-input]").FillAsync("Totals agree with the ledger; sample of 25 orders traced.");
        await rita.Locator("button[data-testid=approve]").ClickAsync();
        await Expect(rita.Locator("[data-testid=signoff-decision]")).ToHaveTextAsync("Approved");
        await Expect(rita.Locator("[data-testid=signoff-comment]")).ToHaveTextAsync("Totals agree with the ledger; sample of 25 orders traced.");

        // The package holds the sign-off as its own file.
        var download = await rita.RunAndWaitForDownloadAsync(() => rita.Locator("[data-testid=download-package]").ClickAsync());
        var package = Path.Combine(_downloads, download.SuggestedFilename);
        await download.SaveAsAsync(package);
        Assert.Equal($"IPE_09_2025-09_run-{runId}_evidence.zip", Path.GetFileName(package));
        using (var zip = ZipFile.OpenRead(package))
        await using (var signOff = await zip.GetEntry("signoff.json")!.OpenAsync())
        {
            using var json = await JsonDocument.ParseAsync(signOff);
            Assert.Equal("Approved", json.RootElement.GetProperty("decision").GetString());
            Assert.Equal("Rita Reviewer", json.RootElement.GetProperty("by").GetString());
        }

        // The Verify page accepts the package and names the run.
        await rita.GotoAsync("/verify");
        await Browser.WaitForInteractiveAsync(rita);
        await rita.Locator("[data-testid=verify-file]").SetInputFilesAsync(package);
        await Expect(rita.Locator("[data-testid=verify-result]")).ToHaveAttributeAsync("data-matches", "true");
        await Expect(rita.Locator("[data-testid=verify-summary]")).ToContainTextAsync($"run {runId} (IPE_09, 2025-09, run by Ada Auditor)");

        // The auditor's run page shows the approval.
        await ada.ReloadAsync();
        await Expect(ada.Locator("[data-testid=review-state]")).ToHaveAttributeAsync("data-review", "Approved");
        await Expect(ada.Locator("[data-testid=signoff-by]")).ToHaveTextAsync("Rita Reviewer");
    }

    private async Task<IPage> SignedInPageAsync(string id, string name)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = _app!.BaseAddress.ToString(), AcceptDownloads = true });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync("/signin");
        await page.Locator($"button[data-person={id}]").ClickAsync();
        await Expect(page.Locator("[data-testid=signed-in-person]")).ToContainTextAsync(name);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        try { Directory.Delete(_downloads, recursive: true); } catch (IOException) { }
    }
}
