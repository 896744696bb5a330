using System.Security.Cryptography;
using Bunit;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Periods;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Web.Auth;
using SoxAuto.Web.Components.Pages.Runs;

namespace SoxAuto.Tests.Components;

/// <summary>The run page as auditors and reviewers read it: live state, evidence, refusals.</summary>
public sealed class RunDetailPageTests : IAsyncLifetime
{
    private static readonly IpeDefinition Orders = TestIpes.Orders();

    // Athena's CSV dialect: every value quoted, SQL NULL an empty unquoted field.
    private const string Extract =
        "\"order_id\",\"customer_id\",\"order_status\"\n" +
        "\"1001\",\"C1\",\"delivered\"\n" +
        "\"1002\",,\"\"\n";

    private ComponentHost _host = null!;

    public async Task InitializeAsync() => _host = await StartAsync("Ada Auditor", Roles.Auditor);

    internal static async Task<ComponentHost> StartAsync(string person, params string[] roles)
    {
        var host = await ComponentHost.StartAsync(person, roles);
        await host.Get<IpeCatalog>().SeedAsync([Orders]);
        return host;
    }

    [Fact]
    public async Task A_succeeded_run_shows_both_SHA256_its_downloads_checks_and_a_preview_where_NULL_differs_from_empty()
    {
        var run = await SeedSucceededAsync(_host);

        var page = _host.Context.Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));

        page.WaitForAssertion(() => Assert.Equal("Succeeded", page.Find("[data-testid=run-state]").GetAttribute("data-state")), TimeSpan.FromSeconds(30));
        Assert.Equal(run.ExtractSha256, page.Find("[data-testid=extract-sha256]").TextContent);
        Assert.Equal(run.WorkbookSha256, page.Find("[data-testid=workbook-sha256]").TextContent);
        Assert.Equal("2", page.Find("[data-testid=row-count]").TextContent);
        var workbook = page.Find("a[data-testid=download-workbook]");
        Assert.Equal($"/runs/{run.Id}/evidence.xlsx", workbook.GetAttribute("href"));
        Assert.Equal($"IPE_T1_2025-09_run-{run.Id}.xlsx", workbook.GetAttribute("download"));
        Assert.Equal($"/runs/{run.Id}/extract.csv", page.Find("a[data-testid=download-extract]").GetAttribute("href"));
        Assert.Equal(["Passed", "Not run", "Error"], page.FindAll("[data-testid=check-status]").Select(c => c.TextContent.Trim()));
        // What an auditor reperforms: the control query as executed, its execution id, and how long it took.
        Assert.Equal(ControlSql, page.FindAll("[data-testid=check-rule]")[2].TextContent);
        Assert.Equal("exec-7", page.FindAll("[data-testid=check-execution-id]")[2].TextContent);
        Assert.Contains("1,234 ms", page.Find("[data-testid=run-checks]").TextContent);

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=preview] tbody tr").Count));
        var second = page.FindAll("[data-testid=preview] tbody tr")[1].QuerySelectorAll("td");
        Assert.Equal("1002", second[1].TextContent.Trim());
        Assert.NotNull(second[2].QuerySelector(".sql-null"));   // customer_id is NULL
        Assert.Null(second[3].QuerySelector(".sql-null"));      // order_status is an empty text
        Assert.Equal("", second[3].TextContent.Trim());
    }

    [Fact]
    public async Task A_failed_run_says_why_and_offers_no_download_nor_preview()
    {
        var run = await SeedAsync(_host, RunState.Failed, "The query failed on Local (DuckDB): table orders does not exist. No evidence was kept.");

        var page = _host.Context.Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));

        page.WaitForAssertion(() => Assert.Contains("This run failed.", page.Find("[data-testid=run-message]").TextContent));
        Assert.Contains("table orders does not exist", page.Find("[data-testid=run-message]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=download-workbook]"));
        Assert.Empty(page.FindAll("[data-testid=download-extract]"));
        Assert.Empty(page.FindAll("[data-testid=preview]"));
        Assert.Empty(page.FindAll("[data-testid=cancel-run]"));
    }

    [Fact]
    public async Task The_page_follows_a_run_as_the_worker_reports_it()
    {
        var run = await SeedAsync(_host, RunState.Queued, "Waiting for the worker.");
        var page = _host.Context.Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));
        page.WaitForAssertion(() => Assert.Equal("Queued", page.Find("[data-testid=run-state]").GetAttribute("data-state")));

        // The worker saves the state, then announces it.
        await SetStateAsync(run.Id, RunState.WritingEvidence, "Writing the evidence.");
        _host.Get<RunProgress>().Publish(new RunUpdate(run.Id, RunState.WritingEvidence, "Writing the evidence: 1,234 rows so far.", 1234));

        page.WaitForAssertion(() => Assert.Equal("WritingEvidence", page.Find("[data-testid=run-state]").GetAttribute("data-state")));
        Assert.Equal("1,234", page.Find("[data-testid=rows-so-far]").TextContent);
        Assert.Contains("Writing the evidence: 1,234 rows so far.", page.Find("[data-testid=run-message]").TextContent);

        // Updates for other runs are not this page's business.
        _host.Get<RunProgress>().Publish(new RunUpdate(run.Id + 1, RunState.Failed, "another run", 0));
        Assert.Equal("WritingEvidence", page.Find("[data-testid=run-state]").GetAttribute("data-state"));
    }

    [Fact]
    public async Task The_person_who_ran_it_cancels_a_queued_run()
    {
        var run = await SeedAsync(_host, RunState.Queued, "Waiting for the worker.");
        var page = _host.Context.Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));

        page.WaitForElement("[data-testid=cancel-run]").Click();

        page.WaitForAssertion(() => Assert.Equal("Cancelled", page.Find("[data-testid=run-state]").GetAttribute("data-state")));
        Assert.Contains("Cancelled by Ada Auditor before it started.", page.Find("[data-testid=run-message]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=cancel-run]"));
        // Ended here, before any process started it: the request and the end are both on the record.
        await using var db = await _host.DbAsync();
        Assert.Equal([("Ada Auditor", "run.cancel.requested"), ("system", "run.cancelled")], await db.AuditTrail
            .Where(a => a.Subject == $"run/{run.Id}").OrderBy(a => a.Id).Select(a => new ValueTuple<string, string>(a.Who, a.Action)).ToListAsync());
    }

    [Fact]
    public async Task Someone_else_cannot_cancel_a_run_and_is_told_why()
    {
        // A reviewer may see Ada's run (another auditor may not see it at all) but not cancel it.
        await using var sam = await StartAsync("Rita Reviewer", Roles.Reviewer);
        var run = await SeedAsync(sam, RunState.Queued, "Waiting for the worker.");
        var page = sam.Context.Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));

        page.WaitForElement("[data-testid=cancel-run]").Click();

        page.WaitForAssertion(() => Assert.Contains("or an admin may cancel it.",
            page.Find("[data-testid=cancel-error]").TextContent));
        Assert.Equal("Queued", page.Find("[data-testid=run-state]").GetAttribute("data-state"));
    }

    [Fact]
    public void A_run_that_does_not_exist_says_so()
    {
        var page = _host.Context.Render<RunDetailPage>(p => p.Add(x => x.Id, 404));

        page.WaitForAssertion(() => Assert.Contains("There is no run 404.", page.Markup));
    }

    internal static async Task<Run> SeedAsync(ComponentHost host, RunState state, string message, Action<Run>? more = null)
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
            RequestedBy = "Ada Auditor",
            RequestedBySubject = TestPeople.SubjectOf("Ada Auditor"),
            RequestedAt = DateTimeOffset.UtcNow,
            State = state,
            Message = message,
            FinishedAt = state is RunState.Failed or RunState.Succeeded ? DateTimeOffset.UtcNow : null,
        };
        more?.Invoke(run);
        await using var db = await host.DbAsync();
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        return run;
    }

    internal const string ControlSql = "SELECT COUNT(*) AS row_count\nFROM orders\nWHERE order_date <= DATE '2025-09-30'";

    /// <summary>A succeeded run with its evidence files and three checks: passed, not run, error.</summary>
    internal static async Task<Run> SeedSucceededAsync(ComponentHost host, Action<Run>? more = null)
    {
        var run = await SeedAsync(host, RunState.Succeeded, "2 rows; evidence stored.");
        var dir = Path.Combine(host.Folder.Evidence, $"run-{run.Id}");
        Directory.CreateDirectory(dir);
        var csv = Path.Combine(dir, run.FileStem + ".csv");
        var xlsx = Path.Combine(dir, run.FileStem + ".xlsx");
        await File.WriteAllTextAsync(csv, Extract);
        await File.WriteAllBytesAsync(xlsx, [0x50, 0x4b, 0x03, 0x04]);

        await using var db = await host.DbAsync();
        db.Attach(run);
        run.RowCount = 2;
        run.ExtractPath = host.Folder.Relative(csv);
        run.ExtractSha256 = Sha256(csv);
        run.ExtractBytes = new FileInfo(csv).Length;
        run.WorkbookPath = host.Folder.Relative(xlsx);
        run.WorkbookSha256 = Sha256(xlsx);
        run.WorkbookBytes = new FileInfo(xlsx).Length;
        run.ExecutedSql = "SELECT 1";
        run.Checks =
        [
            new RunCheck { Order = 0, Name = "Completeness", Status = CheckStatus.Passed, Expected = "2", Actual = "2", Detail = "" },
            new RunCheck { Order = 1, Name = "Accuracy", Status = CheckStatus.NotRun, Expected = "", Actual = "", Detail = "No amount column." },
            new RunCheck
            {
                Order = 2, Name = "Completeness: extract rows = control count", Status = CheckStatus.Error, Expected = "", Actual = "",
                Detail = "The control query did not give an answer: TABLE_NOT_FOUND", Rule = ControlSql, ExecutionId = "exec-7", DurationMs = 1234,
            },
        ];
        more?.Invoke(run);
        await db.SaveChangesAsync();
        return run;
    }

    private async Task SetStateAsync(int runId, RunState state, string message)
    {
        await using var db = await _host.DbAsync();
        var run = await db.Runs.FindAsync(runId);
        run!.State = state;
        run.Message = message;
        await db.SaveChangesAsync();
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    public async Task DisposeAsync() => await _host.DisposeAsync();
}
