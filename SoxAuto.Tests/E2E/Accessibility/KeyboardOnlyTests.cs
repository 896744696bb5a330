using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static SoxAuto.Tests.E2E.Accessibility.Keyboard;

namespace SoxAuto.Tests.E2E.Accessibility;

/// <summary>Every action without a mouse: only Tab, Shift+Tab, Enter, Space, the arrow keys and typing
/// into fields. Each control reached shows its focus ring; a run's progress is spoken by a polite live
/// region.</summary>
public sealed class KeyboardOnlyTests(AccessibleApp app) : IClassFixture<AccessibleApp>
{
    private const string Announcement = "[data-testid=run-announcement][role=status][aria-live=polite]";

    [Fact]
    public async Task An_auditor_runs_IPE_09_pages_through_its_preview_and_downloads_the_workbook_with_the_keyboard_alone()
    {
        var page = await SignInAsync("ada", "Ada Auditor");

        // From the menu to Run an IPE.
        await TabToAsync(page, "a.mud-nav-link[href='/run']");
        await ExpectFocusRingAsync(page);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("[data-testid=ipe-select]")).ToBeVisibleAsync();

        // The IPE list: open it and walk down to IPE_09 with the arrow keys, Enter picks it.
        await TabToAsync(page, "[data-testid=ipe-select]");
        const string Highlighted = "() => { const e = document.querySelectorAll('.mud-popover-open .mud-selected-item'); return e.length === 1 ? e[0].innerText : ''; }";
        for (var presses = 0; !(await page.EvaluateAsync<string>(Highlighted)).StartsWith("IPE_09", StringComparison.Ordinal); presses++)
        {
            Assert.True(presses < 40, "40 presses of ArrowDown never highlighted IPE_09 in the IPE list.");
            var before = await page.EvaluateAsync<string>(Highlighted);
            await page.Keyboard.PressAsync("ArrowDown");
            // The circuit handles a press after a round trip: wait until it moved the highlight, so that no press is
            // still on its way when Enter picks (one overshot to IPE_10); a press lost before the page was
            // interactive is simply pressed again.
            try { await page.WaitForFunctionAsync($"before => ({Highlighted})() !== before", before, new() { Timeout = 5_000 }); }
            catch (TimeoutException) { /* pressed again */ }
        }
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("[data-testid=ipe-summary]")).ToBeVisibleAsync();

        await TabToAsync(page, "input[data-testid=period]");
        await page.Keyboard.TypeAsync("2025-09");
        await Expect(page.Locator("[data-testid=period-end]")).ToHaveTextAsync("2025-09-30");
        await TabToAsync(page, "button[data-testid=run-ipe]");
        await ExpectFocusRingAsync(page);
        await page.Keyboard.PressAsync("Enter");

        // The run's page: its state is said politely by the live region, up to the end.
        await page.WaitForURLAsync(new Regex(@"/runs/\d+$"));
        await Expect(page.Locator(Announcement)).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=run-state]").First).ToHaveAttributeAsync("data-state", new Regex("^(Succeeded|Failed|Cancelled)$"),
            new() { Timeout = 300_000 });
        Assert.Equal("Succeeded", await page.Locator("[data-testid=run-state]").First.GetAttributeAsync("data-state"));
        await Expect(page.Locator(Announcement)).ToContainTextAsync("Succeeded");

        // Download the workbook: Tab to it, Enter.
        await TabToAsync(page, "a[data-testid=download-workbook]");
        await ExpectFocusRingAsync(page);
        var download = await page.RunAndWaitForDownloadAsync(() => page.Keyboard.PressAsync("Enter"));
        Assert.Matches(@"^IPE_09_2025-09_run-\d+\.xlsx$", download.SuggestedFilename);
        var workbook = await File.ReadAllBytesAsync(await download.PathAsync());
        Assert.Equal((await page.Locator("[data-testid=workbook-sha256]").InnerTextAsync()).Trim(), Convert.ToHexStringLower(SHA256.HashData(workbook)));

        // The preview: its region takes the focus and scrolls sideways with the arrow keys...
        var preview = page.Locator("[data-testid=preview]");
        await Expect(preview.Locator("tbody tr").First).ToBeVisibleAsync();
        await TabToAsync(page, "[data-testid=preview]");
        await ExpectFocusRingAsync(page);
        Assert.True(await preview.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth"), "The preview should be wider than this window.");
        for (var i = 0; i < 5; i++) await page.Keyboard.PressAsync("ArrowRight");
        // Chromium scrolls by keyboard smoothly, over a few frames: wait for it, then say what it did.
        try { await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=preview]').scrollLeft > 0", null, new() { Timeout = 30_000 }); }
        catch (TimeoutException) { /* the assertion below says so */ }
        Assert.True(await preview.EvaluateAsync<double>("e => e.scrollLeft") > 0, "ArrowRight did not scroll the focused preview.");

        // ...and its pager turns the pages: Tab to Next, Enter; Shift+Tab back to Previous, Enter.
        var firstRowNumber = preview.Locator("tbody tr").First.Locator("td").First;
        await Expect(firstRowNumber).ToHaveTextAsync("1");
        await TabToAsync(page, "[data-testid=preview] button[aria-label='Next page']");
        await ExpectFocusRingAsync(page);
        await page.Keyboard.PressAsync("Enter");
        await Expect(firstRowNumber).ToHaveTextAsync("26");
        await TabToAsync(page, "[data-testid=preview] button[aria-label='Previous page']", backwards: true);
        await ExpectFocusRingAsync(page);
        await page.Keyboard.PressAsync("Space");
        await Expect(firstRowNumber).ToHaveTextAsync("1");
    }

    [Fact]
    public async Task An_auditor_cancels_a_running_run_with_the_keyboard_alone_and_the_live_region_says_so()
    {
        var page = await SignInAsync("ada", "Ada Auditor");
        var run = await app.StartSlowRunAsync();
        await page.GotoAsync($"/runs/{run}");
        await Browser.WaitForInteractiveAsync(page);
        await Expect(page.Locator(Announcement)).ToContainTextAsync("Running");

        await TabToAsync(page, "button[data-testid=cancel-run]");
        await ExpectFocusRingAsync(page);
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("[data-testid=run-state]").First).ToHaveAttributeAsync("data-state", "Cancelled", new() { Timeout = 60_000 });
        await Expect(page.Locator(Announcement)).ToContainTextAsync("Cancelled");
    }

    [Fact]
    public async Task An_admin_approves_one_IPE_change_and_rejects_another_with_the_keyboard_alone()
    {
        var page = await SignInAsync("alan", "Alan Admin");

        // From the list of changes awaiting approval to the review, then approve.
        await page.GotoAsync("/admin/ipes");
        await Browser.WaitForInteractiveAsync(page);
        await TabToAsync(page, "[data-testid=pending] tr[data-ipe=IPE_09] a[data-testid=review]");
        await ExpectFocusRingAsync(page);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex($"/admin/ipes/IPE_09/versions/{app.DraftVersion}$"));
        await Expect(page.Locator("[data-testid=review-panel]")).ToBeVisibleAsync();
        await TabToAsync(page, "input[data-testid=review-comment-input]");
        await page.Keyboard.TypeAsync("Checked with the keyboard");
        await TabToAsync(page, "button[data-testid=approve]");
        await ExpectFocusRingAsync(page);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("[data-testid=version-status]")).ToHaveTextAsync("Active");

        // A second change, rejected with its reason.
        var second = await app.DraftIpe09ChangeAsync("o.customer_id");
        await page.GotoAsync($"/admin/ipes/IPE_09/versions/{second}");
        await Browser.WaitForInteractiveAsync(page);
        await TabToAsync(page, "input[data-testid=review-comment-input]");
        await page.Keyboard.TypeAsync("Not needed");
        await TabToAsync(page, "button[data-testid=reject]");
        await ExpectFocusRingAsync(page);
        await page.Keyboard.PressAsync("Space");
        await Expect(page.Locator("[data-testid=version-status]")).ToHaveTextAsync("Rejected");
    }

    [Fact]
    public async Task In_the_SQL_editor_Tab_indents_and_after_Ctrl_M_Tab_leaves_it()
    {
        var page = await SignInAsync("alan", "Alan Admin");
        await page.GotoAsync("/admin/ipes/IPE_09/edit");
        await Browser.WaitForInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=sql-editor] .view-line").First).ToBeVisibleAsync();
        const string inEditor = "() => document.activeElement?.closest('[data-testid=sql-editor]') !== null";

        await TabToAsync(page, "[data-testid=sql-editor] textarea");
        Assert.StartsWith("SQL (Athena / Trino dialect)", await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('aria-label')"));
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.EvaluateAsync<bool>(inEditor), "Tab in the SQL editor should indent, not leave it.");

        await page.Keyboard.PressAsync("Control+m");
        await page.Keyboard.PressAsync("Tab");
        Assert.False(await page.EvaluateAsync<bool>(inEditor), "After Ctrl+M, Tab should move the focus out of the SQL editor.");
        Assert.Equal("Parameter 1 name", await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('aria-label')"));
    }

    /// <summary>The local demo sign-in, by keyboard: Tab to the person, Enter.</summary>
    private async Task<IPage> SignInAsync(string person, string name)
    {
        var page = await app.NewSignedOutPageAsync();
        await page.GotoAsync("/signin");
        await TabToAsync(page, $"button[data-person={person}]");
        await ExpectFocusRingAsync(page);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("[data-testid=signed-in-person]")).ToContainTextAsync(name);
        await Browser.WaitForInteractiveAsync(page);
        return page;
    }
}
