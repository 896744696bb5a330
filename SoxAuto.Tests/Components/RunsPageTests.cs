using Bunit;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Periods;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Web.Auth;
using SoxAuto.Web.Components.Pages.Runs;

namespace SoxAuto.Tests.Components;

/// <summary>The list of runs: newest first, filtered the way a reviewer looks for one.</summary>
public sealed class RunsPageTests : IAsyncLifetime
{
    private static readonly IpeDefinition Orders = TestIpes.Orders("SELECT 1 WHERE {{period_end}} IS NOT NULL");

    private ComponentHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ComponentHost.StartAsync("Rita Reviewer", Roles.Reviewer);
        await _host.Get<IpeCatalog>().SeedAsync([Orders]);
        await SeedAsync("2025-08", "Ada Auditor", RunState.Succeeded);
        await SeedAsync("2025-09", "Sam Auditor", RunState.Failed);
        await SeedAsync("2025-09", "Ada Auditor", RunState.Succeeded);
    }

    [Fact]
    public void Every_run_is_listed_newest_first_with_a_link_to_it()
    {
        _host.Navigation.NavigateTo("/runs");
        var page = _host.Context.Render<RunsPage>();

        page.WaitForAssertion(() => Assert.Equal(["run 3", "run 2", "run 1"], Links(page)));
        Assert.Equal("/runs/3", page.FindAll("[data-testid=runs] tbody a")[0].GetAttribute("href"));
    }

    [Fact]
    public void A_status_and_a_person_from_the_address_narrow_the_list()
    {
        _host.Navigation.NavigateTo("/runs?status=succeeded&person=ada");
        var page = _host.Context.Render<RunsPage>();

        page.WaitForAssertion(() => Assert.Equal(["run 3", "run 1"], Links(page)));
    }

    [Fact]
    public void Typing_a_period_narrows_the_list()
    {
        _host.Navigation.NavigateTo("/runs");
        var page = _host.Context.Render<RunsPage>();
        page.WaitForAssertion(() => Assert.Equal(3, Links(page).Count));

        page.Find("input[data-testid=filter-period]").Input("2025-08");

        page.WaitForAssertion(() => Assert.Equal(["run 1"], Links(page)));
    }

    [Fact]
    public async Task An_auditor_sees_only_their_own_runs_not_those_of_another_person_with_the_same_name()
    {
        // Ada (subject ada) ran runs 1 and 3; this is another "Ada Auditor" who ran run 4.
        await using var otherAda = await ComponentHost.StartAsync("Ada Auditor", [Roles.Auditor], null, subject: "https://op.example#00u-ada-2");
        await otherAda.Get<IpeCatalog>().SeedAsync([Orders]);
        foreach (var subject in new[] { "ada", "https://op.example#00u-ada-2" })
            await SeedAsync(otherAda, "2025-09", "Ada Auditor", RunState.Succeeded, subject);

        otherAda.Navigation.NavigateTo("/runs");
        var page = otherAda.Context.Render<RunsPage>();

        page.WaitForAssertion(() => Assert.Equal(["run 2"], Links(page)));
    }

    private static List<string> Links(IRenderedComponent<RunsPage> page) =>
        page.FindAll("[data-testid=runs] tbody a").Select(a => a.TextContent.Trim()).ToList();

    private Task SeedAsync(string periodText, string by, RunState state) => SeedAsync(_host, periodText, by, state, TestPeople.SubjectOf(by));

    private static async Task SeedAsync(ComponentHost host, string periodText, string by, RunState state, string subject)
    {
        var version = (await host.Get<IpeCatalog>().ActiveAsync("IPE_T1"))!;
        var period = Period.Parse(periodText, new DateOnly(2026, 1, 1));
        await using var db = await host.DbAsync();
        db.Runs.Add(new Run
        {
            IpeId = "IPE_T1",
            IpeVersionId = version.Id,
            IpeVersionNumber = 1,
            Period = period,
            RequestedBy = by,
            RequestedBySubject = subject,
            RequestedAt = DateTimeOffset.UtcNow,
            State = state,
        });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();
}
