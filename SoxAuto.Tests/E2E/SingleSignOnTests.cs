using Microsoft.Playwright;
using SoxAuto.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace SoxAuto.Tests.E2E;

/// <summary>People sign in through the OpenID provider's own page in Chromium, under SoxAuto's
/// content security policy, and see only what their roles allow.</summary>
public sealed class SingleSignOnTests : IAsyncLifetime
{
    private SoxAutoApp? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await Browser.LaunchAsync();
        _app = await SoxAutoApp.StartWithOidcAsync();
    }

    [Fact]
    public async Task A_reviewer_signs_in_on_the_providers_page_and_sees_runs_but_not_running_or_admin()
    {
        var (page, violations) = await NewPageAsync();

        // Anonymous: sent to SoxAuto's sign-in page, then to the provider's login page.
        await page.GotoAsync("/runs");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
        await page.Locator("[data-testid=sso-sign-in]").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Test provider sign-in");
        Assert.Equal(_app!.Provider!.Issuer.Port, new Uri(page.Url).Port);
        await page.Locator("#username").FillAsync("rita");
        await page.Locator("#password").FillAsync(OidcProvider.Password);
        await page.Locator("#sign-in").ClickAsync();

        // Back in SoxAuto, where she was going, interactive under the CSP.
        await page.WaitForURLAsync(u => new Uri(u).Port == _app.BaseAddress.Port && new Uri(u).AbsolutePath == "/runs");
        await Browser.WaitForInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=signed-in-person]")).ToContainTextAsync("Rita Reviewer");
        await Expect(page.Locator("[data-testid=signed-in-person]")).ToContainTextAsync("(Reviewer)");
        await Expect(page.Locator(".demo-banner")).ToHaveCountAsync(0);
        var nav = page.Locator(".mud-navmenu");
        await Expect(nav).ToContainTextAsync("Runs and evidence");
        await Expect(nav).Not.ToContainTextAsync("Run an IPE");
        await Expect(nav).Not.ToContainTextAsync("Sign-in settings");

        // A page her roles do not allow: a clear refusal, not a missing page.
        await page.GotoAsync("/run");
        await Expect(page.Locator("[data-testid=access-denied]")).ToContainTextAsync("Rita Reviewer");
        Assert.Empty(violations);

        // Sign-out ends the provider's session as well: the next sign-in asks for the password again.
        await page.GotoAsync("/runs");
        await Browser.WaitForInteractiveAsync(page);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign out" }).ClickAsync();
        await page.Locator("#confirm-sign-out").ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).Port == _app.BaseAddress.Port && new Uri(u).AbsolutePath == "/signin");
        await page.Locator("[data-testid=sso-sign-in]").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Test provider sign-in");
    }

    [Fact]
    public async Task An_admin_sees_the_sign_in_settings_and_an_auditor_is_refused_them()
    {
        var (admin, _) = await NewPageAsync();
        await SignInAsync(admin, "alan");
        await admin.GotoAsync("/admin/sign-in");
        await Browser.WaitForInteractiveAsync(admin);
        await Expect(admin.Locator("[data-testid=sign-in-settings]")).ToContainTextAsync("sox-auditors");
        await Expect(admin.Locator("[data-testid=sign-in-settings]")).Not.ToContainTextAsync(OidcProvider.ClientSecret);

        var (auditor, _) = await NewPageAsync();
        await SignInAsync(auditor, "ada");
        await Browser.WaitForInteractiveAsync(auditor);
        await Expect(auditor.Locator(".mud-navmenu")).ToContainTextAsync("Run an IPE");
        await auditor.GotoAsync("/admin/sign-in");
        await Expect(auditor.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
    }

    private async Task SignInAsync(IPage page, string username)
    {
        await page.GotoAsync("/signin");
        await page.Locator("[data-testid=sso-sign-in]").ClickAsync();
        await page.Locator("#username").FillAsync(username);
        await page.Locator("#password").FillAsync(OidcProvider.Password);
        await page.Locator("#sign-in").ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).Port == _app!.BaseAddress.Port && new Uri(u).AbsolutePath == "/");
    }

    /// <summary>A fresh browser context (its own cookies), collecting content-security-policy violations.</summary>
    private async Task<(IPage Page, List<string> Violations)> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = _app!.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var violations = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) lock (violations) violations.Add(m.Text); };
        return (page, violations);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
    }
}
