using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Playwright;
using SoxAuto.Tests.Core.Evidence;
using SoxAuto.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace SoxAuto.Tests.E2E;

/// <summary>The whole change of an IPE in a real browser: Alan edits IPE_09's SQL, cannot approve it
/// himself, Beth reviews the diff and approves, Ada runs IPE_09 and the workbook names the new version
/// and both admins.</summary>
public sealed class AdminChangesAnIpeTests : IAsyncLifetime
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

    private async Task<IPage> SignInAsync(string person, string name)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = _app!.BaseAddress.ToString(), AcceptDownloads = true });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync("/signin");
        await page.Locator($"button[data-person={person}]").ClickAsync();
        await Expect(page.Locator("[data-testid=signed-in-person]")).ToContainTextAsync(name);
        return page;
    }

    [Fact]
    public async Task Alan_edits_IPE_09_Beth_approves_the_diff_and_Adas_evidence_names_the_new_version_and_both_admins()
    {
        // Alan edits the SQL and saves a draft.
        var alan = await SignInAsync("alan", "Alan Admin");
        await alan.GotoAsync("/admin/ipes/IPE_09/edit");
        await Browser.WaitForInteractiveAsync(alan);
        // The SQL is in a code editor (Monaco) with line numbers and SQL highlighting.
        await Expect(alan.Locator("[data-testid=sql-editor] .monaco-editor .line-numbers").First).ToBeVisibleAsync();
        await Expect(alan.Locator("[data-testid=sql-editor] .view-line").First).ToBeVisibleAsync();
        // Monaco colours the lines after drawing them (asynchronously): wait for the colours, then count them.
        const string TokenStyles = "() => new Set([...document.querySelectorAll('[data-testid=sql-editor] .view-line span span')].map(e => e.className)).size";
        try { await alan.WaitForFunctionAsync($"() => ({TokenStyles})() >= 3", null, new() { Timeout = 30_000 }); }
        catch (TimeoutException) { /* the assertion below says how many */ }
        var tokenStyles = await alan.EvaluateAsync<int>(TokenStyles);
        Assert.True(tokenStyles >= 3, $"SQL highlighting shows {tokenStyles} token styles"); // keywords, comments, identifiers...
        var original = await alan.EvaluateAsync<string>("() => monaco.editor.getModels()[0].getValue()");
        Assert.Contains("ORDER BY o.order_id", original);
        await alan.EvaluateAsync("sql => monaco.editor.getModels()[0].setValue(sql)",
            original.Replace("ORDER BY o.order_id", "ORDER BY o.order_id, o.company", StringComparison.Ordinal));
        await alan.Locator("input[data-testid=change-comment]").FillAsync("Sort ties by company");
        await alan.Locator("button[data-testid=save-draft]").ClickAsync();
        await alan.WaitForURLAsync(new Regex("/admin/ipes/IPE_09/versions/2$"));
        await Expect(alan.Locator("[data-testid=version-status]")).ToHaveTextAsync("Draft");

        // The service refuses Alan's approval of his own change; the page shows why.
        await Browser.WaitForInteractiveAsync(alan);
        await alan.Locator("button[data-testid=approve]").ClickAsync();
        await Expect(alan.Locator("[data-testid=review-error]")).ToContainTextAsync("another admin must approve");
        await Expect(alan.Locator("[data-testid=version-status]")).ToHaveTextAsync("Draft");

        // Beth finds it awaiting approval, reads exactly the changed line, and approves.
        var beth = await SignInAsync("beth", "Beth Admin");
        await beth.GotoAsync("/admin/ipes");
        await Browser.WaitForInteractiveAsync(beth);
        await beth.Locator("[data-testid=pending] tr[data-ipe=IPE_09] a[data-testid=review]").ClickAsync();
        await beth.WaitForURLAsync(new Regex("/admin/ipes/IPE_09/versions/2$"));
        var changed = beth.Locator("[data-testid=diff-sql] tr.changed");
        await Expect(changed).ToHaveCountAsync(1);
        await Expect(changed.Locator("td[data-change=Modified]").Last).ToHaveTextAsync(new Regex("ORDER BY o.order_id, o.company"));
        await Expect(beth.Locator("[data-testid=diff-settings] tr.changed")).ToHaveCountAsync(0);
        await Browser.WaitForInteractiveAsync(beth);
        await beth.Locator("input[data-testid=review-comment-input]").FillAsync("Checked against the lake");
        await beth.Locator("button[data-testid=approve]").ClickAsync();
        await Expect(beth.Locator("[data-testid=version-status]")).ToHaveTextAsync("Active");
        await Expect(beth.Locator("[data-testid=version-approver]")).ToContainTextAsync("Beth Admin");

        // Ada runs IPE_09; the workbook's Evidence sheet names version 2, its author and its approver.
        var ada = await SignInAsync("ada", "Ada Auditor");
        await ada.GotoAsync("/run?ipe=IPE_09");
        await Browser.WaitForInteractiveAsync(ada);
        await Expect(ada.Locator("[data-testid=ipe-summary]")).ToBeVisibleAsync();
        await ada.Locator("input[data-testid=period]").FillAsync("2025-09");
        await Expect(ada.Locator("[data-testid=period-end]")).ToHaveTextAsync("2025-09-30");
        await ada.Locator("button[data-testid=run-ipe]").ClickAsync();
        await ada.WaitForURLAsync(new Regex(@"/runs/\d+$"));
        var state = ada.Locator("[data-testid=run-state]").First;
        await Expect(state).ToHaveAttributeAsync("data-state", new Regex("^(Succeeded|Failed|Cancelled)$"),
            new LocatorAssertionsToHaveAttributeOptions { Timeout = 300_000 });
        Assert.Equal("Succeeded", await state.GetAttributeAsync("data-state"));

        var download = await ada.RunAndWaitForDownloadAsync(() => ada.Locator("[data-testid=download-workbook]").ClickAsync());
        var path = Path.Combine(_downloads, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        using var book = new WorkbookReadBack(path);
        var facts = book.Rows("Evidence").Where(r => r.Elements<Cell>().Count() >= 2).ToDictionary(
            r => WorkbookReadBack.Text(r.Elements<Cell>().First()) ?? "",
            r => WorkbookReadBack.Text(r.Elements<Cell>().ElementAt(1)) ?? "");
        Assert.StartsWith("2 (authored by Alan Admin", facts["IPE version"]);
        Assert.StartsWith("Beth Admin (subject beth) at ", facts["Approved by"]);   // the name shown, the subject that counts
        Assert.Contains("ORDER BY o.order_id, o.company", WorkbookText(book, "Query"));
    }

    private static string WorkbookText(WorkbookReadBack book, string sheet) =>
        string.Join("\n", book.Rows(sheet).SelectMany(r => r.Elements<Cell>()).Select(WorkbookReadBack.Text));

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        try { Directory.Delete(_downloads, recursive: true); } catch (IOException) { }
    }
}
