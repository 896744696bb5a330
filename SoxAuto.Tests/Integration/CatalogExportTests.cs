using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>The catalog export endpoint over real HTTP: admins only, audited.</summary>
public class CatalogExportTests
{
    [Fact]
    public async Task An_admin_downloads_the_active_catalog_as_JSON_and_others_cannot()
    {
        await using var app = SoxAutoApp.Start();
        using var alan = await app.SignedInClientAsync("Alan Admin");
        using var response = await alan.GetAsync("admin/catalog/export.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("soxauto-ipe-catalog_", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(CatalogFile.FormatName, json.RootElement.GetProperty("format").GetString());
        Assert.Equal(SeedCatalog.All.Select(i => i.Id).Order(StringComparer.Ordinal),
            json.RootElement.GetProperty("ipes").EnumerateArray().Select(i => i.GetProperty("id").GetString()));

        using var ada = await app.SignedInClientAsync("Ada Auditor");
        using var refused = await ada.GetAsync("admin/catalog/export.json");
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var exports = await db.AuditTrail.Where(a => a.Action == "catalog.exported").ToListAsync();
        Assert.Equal("Alan Admin", Assert.Single(exports).Who);
    }
}
