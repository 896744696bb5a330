using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Audit;
using SoxAuto.Web.Auth;
using SoxAuto.Web.Components.Pages.Admin.Audit;

namespace SoxAuto.Tests.Components;

/// <summary>The admin's audit trail page: the filtered entries and the chain's verdict, the same as verify-audit's.</summary>
public sealed class AuditTrailPageTests
{
    // A bound for a loaded machine, not a timing claim.
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_page_lists_the_filtered_entries_and_names_the_entry_edited_in_SQLite_when_verified_again()
    {
        await using var host = await ComponentHost.StartAsync("Alan Admin", [Roles.Admin], s => s.AddSingleton<AuditSearch>());
        var trail = host.Get<AuditTrail>();
        await trail.RecordAsync("Ada Auditor", "signin", "person/ada");
        await trail.RecordAsync("Ada Auditor", "run.requested", "run/1", "IPE_09 v1 for 2025-09");
        await trail.RecordAsync("Sam Auditor", "signin", "person/sam");

        host.Navigation.NavigateTo("/admin/audit?who=ada");
        var page = host.Context.Render<AuditTrailPage>();

        page.WaitForAssertion(() => Assert.StartsWith("The audit trail's chain is intact: 3 entries", page.Find("[data-testid=chain-summary]").TextContent), Wait);
        Assert.Equal("3", page.Find("[data-testid=chain-head-id]").TextContent);
        page.WaitForAssertion(() => Assert.Equal(["run.requested", "signin"],
            page.FindAll("[data-testid=audit-entries] tbody tr").Select(r => r.QuerySelectorAll("td")[3].TextContent)), Wait);
        Assert.Equal("/admin/audit/export.csv?who=ada", page.Find("[data-testid=export-csv]").GetAttribute("href"));

        await using (var db = await host.DbAsync())
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER AuditTrail_NoUpdate; UPDATE AuditTrail SET Who = 'Sam Auditor' WHERE Id = 2;");
        page.Find("[data-testid=verify-again]").Click();

        page.WaitForAssertion(() => Assert.Equal(("2", "altered"),
            (page.Find("[data-testid=chain-break]").GetAttribute("data-entry"), page.Find("[data-testid=chain-break]").GetAttribute("data-kind"))), Wait);
        Assert.StartsWith("The audit trail's chain is broken at entry 2: altered.", page.Find("[data-testid=chain-summary]").TextContent);
    }

    [Fact]
    public async Task A_day_that_cannot_be_read_is_named_and_the_export_is_disabled()
    {
        await using var host = await ComponentHost.StartAsync("Alan Admin", [Roles.Admin], s => s.AddSingleton<AuditSearch>());

        host.Navigation.NavigateTo("/admin/audit?from=30.09.2025");
        var page = host.Context.Render<AuditTrailPage>();

        page.WaitForAssertion(() => Assert.Equal("From = '30.09.2025' is not a day such as 2025-09-30.", page.Find("[data-testid=filter-error]").TextContent.Trim()), Wait);
        Assert.True(page.Find("[data-testid=export-csv]").HasAttribute("disabled"));
    }
}
