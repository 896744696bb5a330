using System.Security.Cryptography;
using Bunit;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Periods;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Web.Auth;
using SoxAuto.Web.Components.Pages.Procedures;
using SoxAuto.Web.Components.Pages.Runs;

namespace SoxAuto.Tests.Components;

/// <summary>The roll-forward page: the movement as a chart a screen reader can read and as a table with the
/// same figures, the keys new and gone, the workbook; and the run page's link to it.</summary>
public sealed class RollForwardPageTests : IAsyncLifetime
{
    private static readonly IpeDefinition Orders = TestIpes.Definition("IPE_RF", "SELECT 1") with
    {
        Checks = new() { KeyColumns = ["order_id"], AmountColumns = ["amount"], CompanyColumn = "company" },
    };

    // Streaming two extracts and the database on a loaded machine take longer than bUnit's one-second default.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private ComponentHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ComponentHost.StartAsync("Ada Auditor", Roles.Auditor);
        await _host.Get<IpeCatalog>().SeedAsync([Orders]);
    }

    [Fact]
    public async Task The_movement_by_company_is_drawn_with_a_title_and_description_and_tabled_with_the_new_and_removed_keys()
    {
        var august = await SeedAsync(Period.Month(2025, 8), "\"order_id\",\"company\",\"amount\"\n\"1\",\"EC_KE\",\"10.00\"\n\"2\",\"JD_GH\",\"5.00\"\n");
        var september = await SeedAsync(Period.Month(2025, 9), "\"order_id\",\"company\",\"amount\"\n\"1\",\"EC_KE\",\"12.50\"\n\"3\",\"JD_GH\",\"1.00\"\n");

        var page = _host.Context.Render<RollForwardPage>(p => p.Add(x => x.Id, september.Id));

        page.WaitForAssertion(() => page.Find("[data-testid=rollforward]"), Patience);
        Assert.Contains($"run {august.Id}", page.Find("[data-testid=rollforward]").TextContent);
        Assert.Contains("1 new keys (only in 2025-09), 1 removed keys (only in 2025-08)", page.Find("[data-testid=rollforward-keys]").TextContent);
        var chart = page.Find("svg[data-testid=by-company-chart]");
        Assert.Equal("img", chart.GetAttribute("role"));
        Assert.Equal("Movement by company, 2025-08 to 2025-09", chart.QuerySelector("title")!.TextContent);
        Assert.Contains("EC_KE: 2.50; JD_GH: -4.00", chart.QuerySelector("desc")!.TextContent);
        Assert.Equal(2, chart.QuerySelectorAll("rect").Length);
        Assert.Equal([["EC_KE", "10.00", "12.50", "2.50"], ["JD_GH", "5.00", "1.00", "-4.00"], ["All rows", "15.00", "13.50", "-1.50"]],
            page.FindAll("[data-testid=by-company-table] tbody tr").Select(r => r.Children.Select(c => c.TextContent.Trim()).ToArray()));
        Assert.Empty(page.FindAll("[data-testid=movement-by-account]")); // the IPE has no account column
        Assert.Equal([["New", "3", "2", "1.00"], ["Removed", "2", "2", "5.00"]],
            page.FindAll("[data-testid=rollforward-key-list] tbody tr").Select(r => r.Children.Select(c => c.TextContent.Trim()).ToArray()));
        Assert.Equal($"/runs/{september.Id}/roll-forward.xlsx", page.Find("[data-testid=rollforward-workbook]").GetAttribute("href"));
    }

    [Fact]
    public async Task Without_a_run_for_the_prior_period_the_page_says_so_and_the_run_page_links_to_it()
    {
        var september = await SeedAsync(Period.Month(2025, 9), "\"order_id\",\"company\",\"amount\"\n\"1\",\"EC_KE\",\"12.50\"\n");

        var runPage = _host.Context.Render<RunDetailPage>(p => p.Add(x => x.Id, september.Id));
        runPage.WaitForAssertion(() => Assert.Equal($"/runs/{september.Id}/roll-forward", runPage.Find("[data-testid=open-rollforward]").GetAttribute("href")), Patience);
        Assert.Contains("Roll forward from 2025-08", runPage.Find("[data-testid=open-rollforward]").TextContent);

        var page = _host.Context.Render<RollForwardPage>(p => p.Add(x => x.Id, september.Id));
        page.WaitForAssertion(() => Assert.Equal(
            "There is no succeeded run of IPE_RF for the prior period 2025-08 that you may see; run it for 2025-08 first.",
            page.Find("[data-testid=rollforward-none]").TextContent.Trim()), Patience);
    }

    private async Task<Run> SeedAsync(Period period, string extract)
    {
        var version = (await _host.Get<IpeCatalog>().ActiveAsync("IPE_RF"))!;
        var run = new Run
        {
            IpeId = "IPE_RF",
            IpeVersionId = version.Id,
            IpeVersionNumber = version.Number,
            Period = period,
            RequestedBy = "Ada Auditor",
            RequestedBySubject = TestPeople.SubjectOf("Ada Auditor"),
            RequestedAt = DateTimeOffset.UtcNow,
            State = RunState.Succeeded,
            FinishedAt = DateTimeOffset.UtcNow,
            ExecutedSql = "SELECT 1",
        };
        await using var db = await _host.DbAsync();
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        var dir = Directory.CreateDirectory(Path.Combine(_host.Folder.Evidence, $"run-{run.Id}")).FullName;
        string csv = Path.Combine(dir, run.FileStem + ".csv"), xlsx = Path.Combine(dir, run.FileStem + ".xlsx");
        await File.WriteAllTextAsync(csv, extract);
        await File.WriteAllBytesAsync(xlsx, [0x50, 0x4b, 0x03, 0x04]);
        run.RowCount = extract.Count(c => c == '\n') - 1;
        (run.ExtractPath, run.ExtractSha256, run.ExtractBytes) = (_host.Folder.Relative(csv), Sha256(csv), new FileInfo(csv).Length);
        (run.WorkbookPath, run.WorkbookSha256) = (_host.Folder.Relative(xlsx), Sha256(xlsx));
        await db.SaveChangesAsync();
        return run;
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    public async Task DisposeAsync() => await _host.DisposeAsync();
}
