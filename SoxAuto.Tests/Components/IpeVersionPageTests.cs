using Bunit;
using SoxAuto.Core.Catalog;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Web.Auth;
using SoxAuto.Web.Components.Pages.Admin.Ipes;

namespace SoxAuto.Tests.Components;

/// <summary>The review page: the diff against the active version, and approval decided by the service.</summary>
public sealed class IpeVersionPageTests
{
    private static readonly IpeDefinition Orders = TestIpes.Orders("SELECT *\nFROM orders\nWHERE order_date >= {{period_start}}\n  AND order_date < {{next_period_start}}");

    private static async Task<ComponentHost> StartWithDraftAsync(string person, string? subject = null)
    {
        var host = await ComponentHost.StartAsync(person, [Roles.Admin], null, subject);
        await host.Get<IpeCatalog>().SeedAsync([Orders]);
        await using var db = await host.DbAsync();
        db.IpeVersions.Add(new IpeVersion
        {
            IpeId = "IPE_T1",
            Number = 2,
            Definition = Orders with { Sql = Orders.Sql.Replace("FROM orders", "FROM orders o", StringComparison.Ordinal) },
            Status = IpeVersionStatus.Draft,
            BasedOnNumber = 1,
            AuthoredBy = "Alan Admin",
            AuthoredBySubject = TestPeople.SubjectOf("Alan Admin"),
            AuthoredAt = DateTimeOffset.UtcNow,
            Comment = "Alias the table",
        });
        await db.SaveChangesAsync();
        return host;
    }

    [Fact]
    public async Task The_author_is_refused_by_the_service_and_the_page_shows_why()
    {
        await using var host = await StartWithDraftAsync("Alan Admin");
        var page = host.Context.Render<IpeVersionPage>(p => p.Add(x => x.IpeId, "IPE_T1").Add(x => x.Number, 2));

        page.WaitForAssertion(() => Assert.Equal("Draft", page.Find("[data-testid=version-status]").TextContent));
        page.Find("button[data-testid=approve]").Click();

        page.WaitForAssertion(() => Assert.Contains("another admin must approve", page.Find("[data-testid=review-error]").TextContent));
        Assert.Equal("Draft", page.Find("[data-testid=version-status]").TextContent);
        Assert.Equal(1, (await host.Get<IpeCatalog>().ActiveAsync("IPE_T1"))!.Number);
    }

    [Fact]
    public async Task A_second_admin_sees_exactly_the_changed_line_and_approves()
    {
        await using var host = await StartWithDraftAsync("Beth Admin");
        var page = host.Context.Render<IpeVersionPage>(p => p.Add(x => x.IpeId, "IPE_T1").Add(x => x.Number, 2));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=diff-sql] tr.changed")));
        var cells = page.Find("[data-testid=diff-sql] tr.changed").QuerySelectorAll("td");
        Assert.Equal(["2", "FROM orders", "2", "FROM orders o"], cells.Select(c => c.TextContent));
        Assert.Empty(page.FindAll("[data-testid=diff-settings] tr.changed"));

        page.Find("button[data-testid=approve]").Click();

        page.WaitForAssertion(() => Assert.Equal("Active", page.Find("[data-testid=version-status]").TextContent));
        Assert.Contains("Beth Admin", page.Find("[data-testid=version-approver]").TextContent);
        Assert.Equal(2, (await host.Get<IpeCatalog>().ActiveAsync("IPE_T1"))!.Number);
    }

    [Fact]
    public async Task Another_admin_who_has_the_authors_name_is_not_the_author_and_approves()
    {
        // The draft is Alan's (subject alan); this is a second provider account, also called "Alan Admin".
        await using var host = await StartWithDraftAsync("Alan Admin", subject: "https://op.example#00u-alan-2");
        var page = host.Context.Render<IpeVersionPage>(p => p.Add(x => x.IpeId, "IPE_T1").Add(x => x.Number, 2));
        page.WaitForAssertion(() => Assert.Equal("Draft", page.Find("[data-testid=version-status]").TextContent));

        page.Find("button[data-testid=approve]").Click();

        page.WaitForAssertion(() => Assert.Equal("Active", page.Find("[data-testid=version-status]").TextContent));
        var approved = (await host.Get<IpeCatalog>().ActiveAsync("IPE_T1"))!;
        Assert.Equal((2, "https://op.example#00u-alan-2"), (approved.Number, approved.ApprovedBySubject));
    }
}
