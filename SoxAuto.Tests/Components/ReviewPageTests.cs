using System.Security.Cryptography;
using Bunit;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Periods;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Web.Auth;
using SoxAuto.Web.Components.Pages.Review;

namespace SoxAuto.Tests.Components;

/// <summary>The review page as reviewers use it: approve or reject with a comment, a justification for
/// checks that did not pass, and no sign-off of one's own run.</summary>
public sealed class ReviewPageTests
{
    private static readonly IpeDefinition Orders = TestIpes.Orders();

    [Fact]
    public async Task A_reviewer_approves_a_run_with_a_comment_and_the_page_shows_the_recorded_sign_off()
    {
        await using var host = await StartAsync("Rita Reviewer", Roles.Reviewer);
        var run = await SeedSucceededAsync(host, "Ada Auditor");
        var page = host.Context.Render<ReviewPage>(p => p.Add(x => x.Id, run.Id));
        Eventually(page, () => Assert.NotNull(page.Find("[data-testid=signoff-form]")));

        page.Find("textarea[data-testid=signoff-comment-input]").Change("Totals agree with the ledger.");
        page.Find("button[data-testid=approve]").Click();

        Eventually(page, () => Assert.Equal("Approved", page.Find("[data-testid=signoff-decision]").TextContent));
        Assert.Equal("Rita Reviewer", page.Find("[data-testid=signoff-by]").TextContent);
        Assert.Equal("Totals agree with the ledger.", page.Find("[data-testid=signoff-comment]").TextContent);
        var stored = await host.Get<ReviewService>().SignOffOfAsync(run.Id);
        Assert.Equal((SignOffDecision.Approved, "Rita Reviewer"), (stored!.Decision, stored.By));
    }

    [Fact]
    public async Task A_rejection_without_a_comment_is_refused_with_the_reason_and_one_with_a_comment_is_recorded()
    {
        await using var host = await StartAsync("Rita Reviewer", Roles.Reviewer);
        var run = await SeedSucceededAsync(host, "Ada Auditor");
        var page = host.Context.Render<ReviewPage>(p => p.Add(x => x.Id, run.Id));
        Eventually(page, () => Assert.NotNull(page.Find("[data-testid=signoff-form]")));

        page.Find("button[data-testid=reject]").Click();
        Eventually(page, () => Assert.Contains("needs a comment", page.Find("[data-testid=signoff-error]").TextContent));
        Assert.Null(await host.Get<ReviewService>().SignOffOfAsync(run.Id));

        page.Find("textarea[data-testid=signoff-comment-input]").Change("Wrong period.");
        page.Find("button[data-testid=reject]").Click();
        Eventually(page, () => Assert.Equal("Rejected", page.Find("[data-testid=signoff-decision]").TextContent));
        Assert.Equal("Wrong period.", (await host.Get<ReviewService>().SignOffOfAsync(run.Id))!.Comment);
    }

    [Fact]
    public async Task The_page_refuses_a_sign_off_by_the_person_who_ran_the_run_even_when_they_are_a_reviewer()
    {
        await using var host = await StartAsync("Casey Controller", Roles.Auditor, Roles.Reviewer);
        var run = await SeedSucceededAsync(host, "Casey Controller");

        var page = host.Context.Render<ReviewPage>(p => p.Add(x => x.Id, run.Id));
        Eventually(page, () => Assert.NotNull(page.Find("[data-testid=signoff-form]")));

        Assert.Contains("someone else must sign it off", page.Find("[data-testid=signoff-refused]").TextContent);
        Assert.True(page.Find("button[data-testid=approve]").HasAttribute("disabled"));
        Assert.True(page.Find("button[data-testid=reject]").HasAttribute("disabled"));
        Assert.Null(await host.Get<ReviewService>().SignOffOfAsync(run.Id));
    }

    [Fact]
    public async Task Approving_a_run_with_a_failed_check_on_the_page_needs_a_justification()
    {
        await using var host = await StartAsync("Rita Reviewer", Roles.Reviewer);
        var run = await SeedSucceededAsync(host, "Ada Auditor", CheckStatus.Failed);
        var page = host.Context.Render<ReviewPage>(p => p.Add(x => x.Id, run.Id));
        Eventually(page, () => Assert.NotNull(page.Find("[data-testid=signoff-form]")));
        Assert.Contains("Completeness (Failed)", page.Find("[data-testid=checks-not-passed]").TextContent);

        page.Find("textarea[data-testid=signoff-comment-input]").Change("Fine.");
        page.Find("button[data-testid=approve]").Click();
        Eventually(page, () => Assert.Contains("needs a written justification", page.Find("[data-testid=signoff-error]").TextContent));
        Assert.Null(await host.Get<ReviewService>().SignOffOfAsync(run.Id));

        page.Find("textarea[data-testid=signoff-justification-input]").Change("The late postings are explained in the bridge.");
        page.Find("button[data-testid=approve]").Click();
        Eventually(page, () => Assert.Equal("The late postings are explained in the bridge.", page.Find("[data-testid=signoff-justification]").TextContent));
    }

    [Fact]
    public async Task The_runs_list_shows_where_each_run_stands_in_review()
    {
        await using var host = await StartAsync("Rita Reviewer", Roles.Reviewer);
        var approved = await SeedSucceededAsync(host, "Ada Auditor");
        var rejected = await SeedSucceededAsync(host, "Ada Auditor");
        var waiting = await SeedSucceededAsync(host, "Ada Auditor");
        var reviews = host.Get<ReviewService>();
        var rita = new Actor("Rita Reviewer", "test", SeesEveryRun: true) { Subject = TestPeople.SubjectOf("Rita Reviewer") };
        await reviews.SignOffAsync(approved.Id, SignOffDecision.Approved, "ok", null, rita);
        await reviews.SignOffAsync(rejected.Id, SignOffDecision.Rejected, "Wrong period.", null, rita);

        var page = host.Context.Render<SoxAuto.Web.Components.Pages.Runs.RunsPage>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=runs] tbody tr [data-testid=review-state]").Count), TimeSpan.FromSeconds(30));
        // Newest first.
        Assert.Equal(["AwaitingReview", "Rejected", "Approved"],
            page.FindAll("[data-testid=runs] tbody tr [data-testid=review-state]").Select(c => c.GetAttribute("data-review")));
        Assert.Equal(waiting.Id - 2, approved.Id);
    }

    [Fact]
    public async Task The_auditor_runs_a_rejected_run_again_from_its_page_and_the_new_run_names_the_one_it_supersedes()
    {
        await using var host = await StartAsync("Ada Auditor", Roles.Auditor);
        host.Authorization.SetPolicies(Policies.RunIpe, Policies.ViewRuns);
        var rejected = await SeedSucceededAsync(host, "Ada Auditor");
        await host.Get<ReviewService>().SignOffAsync(rejected.Id, SignOffDecision.Rejected, "Wrong period.", null,
            new Actor("Rita Reviewer", "test", SeesEveryRun: true) { Subject = TestPeople.SubjectOf("Rita Reviewer") });
        var page = host.Context.Render<SoxAuto.Web.Components.Pages.Runs.RunDetailPage>(p => p.Add(x => x.Id, rejected.Id));
        Eventually(page, () => Assert.Equal("Rejected", page.Find("[data-testid=review-state]").GetAttribute("data-review")));
        Assert.Equal("Wrong period.", page.Find("[data-testid=signoff-comment]").TextContent);

        page.Find("button[data-testid=rerun]").Click();

        Eventually(page, () => Assert.Matches(@"/runs/\d+$", host.Navigation.Uri));
        var rerunId = int.Parse(host.Navigation.Uri[(host.Navigation.Uri.LastIndexOf('/') + 1)..]);
        await using var db = await host.DbAsync();
        var rerun = await db.Runs.FindAsync(rerunId);
        Assert.Equal((rejected.Id, "Ada Auditor", "2025-09"), (rerun!.SupersedesRunId, rerun.RequestedBy, rerun.PeriodText));
    }

    /// <summary>The page loads and signs off through the database, on a shared and busy machine: wait long enough.</summary>
    private static void Eventually<T>(IRenderedComponent<T> page, Action assertion) where T : Microsoft.AspNetCore.Components.IComponent =>
        page.WaitForAssertion(assertion, TimeSpan.FromSeconds(30));

    private static async Task<ComponentHost> StartAsync(string person, params string[] roles)
    {
        var host = await ComponentHost.StartAsync(person, roles);
        await host.Get<IpeCatalog>().SeedAsync([Orders]);
        return host;
    }

    /// <summary>A succeeded run of IPE_T1 by <paramref name="by"/> with real stored files (a sign-off
    /// re-reads them) and a completeness check of the given status.</summary>
    private static async Task<Run> SeedSucceededAsync(ComponentHost host, string by, CheckStatus completeness = CheckStatus.Passed)
    {
        var version = (await host.Get<IpeCatalog>().ActiveAsync("IPE_T1"))!;
        var period = Period.Month(2025, 9);
        var run = new Run
        {
            IpeId = "IPE_T1",
            IpeVersionId = version.Id,
            IpeVersionNumber = version.Number,
            Period = period,
            Parameters = ParameterBinder.Bind(Orders, period).ToList(),
            RequestedBy = by,
            RequestedBySubject = TestPeople.SubjectOf(by),
            RequestedAt = DateTimeOffset.UtcNow,
            FinishedAt = DateTimeOffset.UtcNow,
            State = RunState.Succeeded,
            Message = "1 row; evidence stored.",
            RowCount = 1,
            ExecutedSql = "SELECT 1",
            Checks = [new RunCheck { Order = 0, Name = "Completeness", Status = completeness, Expected = "2", Actual = "1", Detail = "" }],
        };
        await using (var db = await host.DbAsync())
        {
            db.Runs.Add(run);
            await db.SaveChangesAsync();
        }
        var dir = Directory.CreateDirectory(Path.Combine(host.Folder.Evidence, $"run-{run.Id}")).FullName;
        var csv = Path.Combine(dir, run.FileStem + ".csv");
        var xlsx = Path.Combine(dir, run.FileStem + ".xlsx");
        await File.WriteAllTextAsync(csv, "\"order_id\"\n\"1001\"\n");
        await File.WriteAllBytesAsync(xlsx, [0x50, 0x4b, 0x03, 0x04]);
        await using (var db = await host.DbAsync())
        {
            db.Attach(run);
            (run.ExtractPath, run.ExtractSha256, run.ExtractBytes) = (host.Folder.Relative(csv), Sha256(csv), new FileInfo(csv).Length);
            (run.WorkbookPath, run.WorkbookSha256, run.WorkbookBytes) = (host.Folder.Relative(xlsx), Sha256(xlsx), new FileInfo(xlsx).Length);
            await db.SaveChangesAsync();
        }
        return run;
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
