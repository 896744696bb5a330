using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core;
using SoxAuto.Core.Catalog;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Tests.Integration;
using SoxAuto.Web.Auth;
using SoxAuto.Web.Components.Pages.Admin.Ipes;

namespace SoxAuto.Tests.Components;

/// <summary>Issue 14, item 4: the IPE definitions page shows what an import of the earlier tool's file did.</summary>
public sealed class ScriptToolImportPageTests : IAsyncLifetime
{
    private ComponentHost _host = null!;
    // The import checks each IPE with EXPLAIN on the local engine, so the engine needs the demo lake.
    private readonly DataFolder _engineFolder = new(Directory.CreateTempSubdirectory("soxauto-bunit-engine-").FullName, SharedLake.Path);

    public async Task InitializeAsync()
    {
        _host = await ComponentHost.StartAsync("Alan Admin", [Roles.Admin], s =>
        {
            s.AddSingleton<CatalogTransfer>();
            s.AddSingleton(new SignInSettings(SignInMode.Local));
            s.AddSingleton(_engineFolder);
        });
        await _host.Get<IpeCatalog>().SeedAsync(SeedCatalog.All.Where(i => i.Id == "IPE_09"));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_engineFolder.Root, recursive: true);
    }

    [Fact]
    public void The_page_shows_the_drafts_created_and_each_skipped_SQL_Server_entry_with_its_line_and_reason()
    {
        var page = _host.Context.Render<IpeListPage>();

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(ScriptToolImportTests.EarlierToolFile(), "ipes.json"));

        page.WaitForAssertion(() => Assert.Contains("Imported as drafts awaiting approval: IPE_09 v2, IPE_51 v1.",
            page.Find("[data-testid=import-report]").TextContent), TimeSpan.FromSeconds(60));
        var skipped = page.Find("[data-testid=import-skipped]").TextContent;
        Assert.Contains("IPE_02 (line 14): SQL Server form (secret_name 'prod/sqlserver/erp')", skipped);
        Assert.Equal(["IPE_09", "IPE_51"], page.FindAll("[data-testid=pending] tbody tr").Select(r => r.GetAttribute("data-ipe")));
    }
}
