using Bunit;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Runs;
using SoxAuto.Web.Auth;
using SoxAuto.Web.Components.Pages.Catalog;

namespace SoxAuto.Tests.Components;

/// <summary>The catalog says per IPE and period whether the latest run's checks passed; only a run whose
/// every check ran and passed reads "Checks passed".</summary>
public sealed class CatalogPageTests : IAsyncLifetime
{
    private ComponentHost _host = null!;

    public async Task InitializeAsync() => _host = await RunDetailPageTests.StartAsync("Ada Auditor", Roles.Auditor);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_latest_run_of_a_period_says_whether_its_checks_passed_and_a_check_error_is_not_a_pass()
    {
        await RunDetailPageTests.SeedSucceededAsync(_host); // passed, not run, error
        Assert.Equal("Error", await VerdictAsync());

        await RunDetailPageTests.SeedSucceededAsync(_host, r => r.Checks = [Check(CheckStatus.Passed), Check(CheckStatus.Failed), Check(CheckStatus.Error)]);
        Assert.Equal("Failed", await VerdictAsync());

        await RunDetailPageTests.SeedSucceededAsync(_host, r => r.Checks = [Check(CheckStatus.Passed), Check(CheckStatus.NotRun)]);
        Assert.Equal("Incomplete", await VerdictAsync());

        await RunDetailPageTests.SeedSucceededAsync(_host, r => r.Checks = [Check(CheckStatus.Passed), Check(CheckStatus.Passed)]);
        Assert.Equal("Passed", await VerdictAsync());
    }

    [Fact]
    public async Task A_run_that_did_not_succeed_shows_no_checks_verdict()
    {
        await RunDetailPageTests.SeedAsync(_host, RunState.Failed, "The engine failed.");

        var page = _host.Context.Render<CatalogPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=latest-run][data-period='2025-09']")));
        Assert.Empty(page.FindAll("[data-testid=checks-verdict]"));
    }

    private Task<string?> VerdictAsync()
    {
        var page = _host.Context.Render<CatalogPage>();
        string? verdict = null;
        page.WaitForAssertion(() => verdict = page.Find("[data-testid=latest-run][data-period='2025-09'] [data-testid=checks-verdict]").GetAttribute("data-verdict"));
        return Task.FromResult(verdict);
    }

    private static RunCheck Check(CheckStatus status) =>
        new() { Order = (int)status, Name = status.ToString(), Status = status, Expected = "", Actual = "", Detail = "" };
}
