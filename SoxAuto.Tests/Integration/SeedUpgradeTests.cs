using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Web.Components.Pages.Admin.Ipes;

namespace SoxAuto.Tests.Integration;

/// <summary>A database made by an earlier SoxAuto gets the seed's new check settings only through the draft
/// and approval flow, and the admin form keeps every check setting.</summary>
public class SeedUpgradeTests
{
    private static readonly Actor Beth = new("Beth Admin", "test", IsAdmin: true) { Subject = TestPeople.SubjectOf("Beth Admin") };

    [Fact]
    public async Task A_changed_seed_becomes_one_system_draft_that_an_admin_approves_and_the_active_version_stays_until_then()
    {
        await using var app = await CoreHost.StartAsync();
        var catalog = app.Get<IpeCatalog>();
        var shipped = (await catalog.ActiveAsync("IPE_09"))!.Definition;
        var newer = shipped with { Checks = shipped.Checks with { KeyColumns = ["order_id", "company"] } };

        await catalog.SeedAsync([newer]);
        await catalog.SeedAsync([newer]); // every start-up seeds: one draft, not one per start

        await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var versions = await db.IpeVersions.AsNoTracking().Where(v => v.IpeId == "IPE_09").OrderBy(v => v.Number).ToListAsync();
        Assert.Equal([(1, IpeVersionStatus.Active), (2, IpeVersionStatus.Draft)], versions.Select(v => (v.Number, v.Status)));
        Assert.Equal((IpeCatalog.SeedAuthor, 1), (versions[1].AuthoredBy, versions[1].BasedOnNumber));
        Assert.Equal(shipped.Checks.KeyColumns, (await catalog.ActiveAsync("IPE_09"))!.Definition.Checks.KeyColumns);
        Assert.True(await db.AuditTrail.AnyAsync(e => e.Action == "ipe.draft" && e.Subject == "ipe/IPE_09/v2"));

        await app.Get<IpeChanges>().ApproveAsync(versions[1].Id, "Take the shipped settings", Beth);
        Assert.Equal(["order_id", "company"], (await catalog.ActiveAsync("IPE_09"))!.Definition.Checks.KeyColumns);
        await catalog.SeedAsync([shipped]); // the older seed is a version it has had: nothing new
        Assert.Equal(2, await db.IpeVersions.CountAsync(v => v.IpeId == "IPE_09"));
    }

    [Fact]
    public void The_admin_form_keeps_every_check_setting_of_every_seed_IPE()
    {
        foreach (var ipe in SeedCatalog.All)
        {
            var (definition, problems) = IpeForm.From(ipe).ToDefinition();
            Assert.Empty(problems);
            Assert.True(IpeChanges.SameDefinition(ipe, definition!), ipe.Id);
            Assert.NotNull(definition!.Checks.CompanyColumn);
        }
    }
}
