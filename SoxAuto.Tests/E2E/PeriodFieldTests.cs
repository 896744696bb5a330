using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SoxAuto.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace SoxAuto.Tests.E2E;

/// <summary>Issue 9, finding 7, in Chromium: typing 9999-12 into the Period field ended the circuit (the
/// tab stopped reacting until reloaded). Each bad period must show a clear sentence under the field, and
/// afterwards the same tab must still run a valid period.</summary>
public sealed class PeriodFieldTests : IAsyncLifetime
{
    private SoxAutoApp? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await Browser.LaunchAsync();
        _app = SoxAutoApp.Start();
    }

    private static readonly (string Text, string Message)[] BadPeriods =
    [
        ("9999-12", "the year must be 2000 to"),
        ("２０２５-０９", "is not a period"),
        ("٢٠٢٥-٠٩", "is not a period"),
        ("", "No period given"),
        (new string('9', 10_000), "is not a period"),
        ("2025-13", "the month must be 01 to 12"),
        ("0000-01", "the year must be 2000 to"),
    ];

    [Fact]
    public async Task Each_bad_period_is_refused_under_the_field_and_the_page_still_runs_a_valid_one()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = _app!.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync("/signin");
        await page.Locator("button[data-person=ada]").ClickAsync();
        await Expect(page.Locator("[data-testid=signed-in-person]")).ToContainTextAsync("Ada Auditor");

        await page.GotoAsync("/run?ipe=IPE_09");
        await Browser.WaitForInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=ipe-summary]")).ToBeVisibleAsync();
        var input = page.Locator("input[data-testid=period]");
        var field = page.Locator(".mud-input-control", new PageLocatorOptions { Has = input });
        var run = page.Locator("button[data-testid=run-ipe]");

        foreach (var (text, message) in BadPeriods)
        {
            // Another refusal first, so each expected message is new (and emptying the field is a change).
            await input.FillAsync("2025-Q5");
            await Expect(field).ToContainTextAsync("a quarter is Q1 to Q4");
            await input.FillAsync(text);
            await Expect(field).ToContainTextAsync(message);
            await Expect(page.Locator("[data-testid=period-meaning]")).ToHaveCountAsync(0);
            await Expect(run).ToBeDisabledAsync();
        }

        // The circuit is alive: the same tab still reads a valid period and starts the run.
        await input.FillAsync("2025-09");
        await Expect(page.Locator("[data-testid=period-end]")).ToHaveTextAsync("2025-09-30");
        await run.ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/runs/\d+$"));
        await Expect(page.Locator("[data-testid=run-state]").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=page-error]")).ToHaveCountAsync(0);
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
    }
}
