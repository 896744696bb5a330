using Microsoft.Playwright;

namespace SoxAuto.Tests.E2E;

/// <summary>Debian's Chromium driven by Playwright. Nothing is downloaded: no `playwright install`,
/// the browser is the system one. A missing browser fails the test loudly (the test command installs
/// the package); it never turns into a silent pass.</summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException(
                $"The browser tests need Debian's Chromium at {ChromiumPath}, and it is missing. " +
                "Install it with `apt-get install chromium` (./test.sh does this).");
        // Expect(...) waits 5 s by default (SetDefaultTimeout does not cover it): too short for a server round trip
        // on a loaded two-core machine.
        Assertions.SetDefaultExpectTimeout(30_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                // Keyboard scrolling is animated over several frames otherwise: a test reading scrollLeft
                // just after ArrowRight saw 0 in three of five runs.
                "--disable-smooth-scrolling",
            ],
        });
        return (playwright, browser);
    }

    /// <summary>A prerendered page shows buttons before its circuit is connected, and a click then
    /// is lost. The layout marks itself data-interactive="true" once the circuit runs it.</summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
}
