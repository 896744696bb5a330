using Bunit;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Web.Auth;
using SoxAuto.Web.Components.Pages.Runs;

namespace SoxAuto.Tests.Components;

/// <summary>The run page's Samples section: an auditor draws a sample from the stored extract and sees it with
/// its seed and rows; the same seed draws the same rows; a bad seed is refused with the reason; a reviewer
/// sees the samples but no form.</summary>
public sealed class RunSamplesTests : IAsyncLifetime
{
    // Reading the extract and writing the database on a loaded machine take longer than bUnit's one-second default.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private ComponentHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await RunDetailPageTests.StartAsync("Ada Auditor", Roles.Auditor);
        // bUnit's authorization grants policies by name, not from the roles: an auditor holds these two.
        _host.Authorization.SetPolicies(Policies.RunIpe, Policies.ViewRuns);
    }

    [Fact]
    public async Task An_auditor_draws_a_sample_on_the_run_page_and_the_same_seed_draws_the_same_rows()
    {
        var run = await RunDetailPageTests.SeedSucceededAsync(_host);
        var page = _host.Context.Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));

        for (var drawn = 1; drawn <= 2; drawn++)
        {
            page.WaitForElement("input[data-testid=sample-size]", Patience).Change("1");
            page.Find("input[data-testid=sample-seed]").Change("42");
            page.Find("button[data-testid=draw-sample]").Click();
            // An error would be shown instead of the sample; waiting for either makes a refusal fail fast with its reason.
            page.WaitForAssertion(() => Assert.Equal(drawn, page.FindAll("[data-testid=sample], [data-testid=sample-error]").Count), Patience);
            Assert.Empty(page.FindAll("[data-testid=sample-error]").Select(e => e.TextContent));
        }

        var samples = page.FindAll("[data-testid=sample]");
        Assert.All(samples, s => Assert.Contains("simple random, 1 rows, seed 42", s.TextContent));
        Assert.All(samples, s => Assert.Contains("1 rows drawn of 2, by Ada Auditor", s.TextContent));
        // Newest first; both drew the same row of the extract, with its values.
        var rows = samples.Select(s => s.QuerySelectorAll("tbody tr").Select(r => r.TextContent.Trim()).ToArray()).ToArray();
        Assert.Single(rows[0]);
        Assert.Equal(rows[1], rows[0]);
        var newest = int.Parse(samples[0].GetAttribute("data-sample")!);
        Assert.Equal($"/runs/{run.Id}/samples/{newest}.xlsx", samples[0].QuerySelector("[data-testid=sample-workbook]")!.GetAttribute("href"));

        await using var db = await _host.DbAsync();
        Assert.Equal(2, db.AuditTrail.Count(e => e.Action == "sample.drawn" && e.Subject == $"run/{run.Id}"));
    }

    [Fact]
    public async Task A_seed_that_is_not_a_whole_number_is_refused_with_the_reason_and_nothing_is_drawn()
    {
        var run = await RunDetailPageTests.SeedSucceededAsync(_host);
        var page = _host.Context.Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));

        page.WaitForElement("input[data-testid=sample-seed]", Patience).Change("forty-two");
        page.Find("button[data-testid=draw-sample]").Click();

        page.WaitForAssertion(() => Assert.Contains("The seed must be a whole number, not 'forty-two'.",
            page.Find("[data-testid=sample-error]").TextContent), Patience);
        Assert.Empty(page.FindAll("[data-testid=sample]"));
        await using var db = await _host.DbAsync();
        Assert.Empty(db.Samples.Where(s => s.RunId == run.Id));
    }

    [Fact]
    public async Task A_reviewer_sees_the_samples_drawn_but_no_form_to_draw_one()
    {
        await using var reviewer = await RunDetailPageTests.StartAsync("Rita Reviewer", Roles.Reviewer);
        reviewer.Authorization.SetPolicies(Policies.ViewRuns);
        var run = await RunDetailPageTests.SeedSucceededAsync(reviewer);
        var page = reviewer.Context.Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));

        page.WaitForElement("[data-testid=samples]", Patience);
        Assert.Empty(page.FindAll("[data-testid=sample-form]"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();
}
