using Bunit;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Engines.Athena;
using SoxAuto.Tests.Core.Engines.Athena;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Tests.Fixtures.Athena;
using SoxAuto.Web.Auth;
using SoxAuto.Web.Components.Pages.Admin;

namespace SoxAuto.Tests.Components;

public sealed class AthenaPageTests : AthenaEmulatorTest
{
    [Fact]
    public async Task On_the_local_engine_the_page_says_how_to_switch()
    {
        await using var host = await ComponentHost.StartAsync("Alan Admin", Roles.Admin);
        var page = host.Context.Render<AthenaPage>();
        Assert.Contains("runs IPEs on the local engine", page.Find("[data-testid=not-athena]").TextContent);
    }

    [Fact]
    public async Task An_admin_checks_the_connection_and_browses_databases_tables_and_columns()
    {
        using var engine = AthenaTestKit.Engine(Emulator, Data, o => o.StsServiceUrl = Emulator.Endpoint);
        await using var host = await ComponentHost.StartAsync("Alan Admin", [Roles.Admin], s =>
        {
            s.AddSingleton(engine);
            s.AddSingleton(new AthenaCatalog(engine));
            s.AddSingleton(new AthenaConnectionCheck(engine, new FixedAwsCredentialsSource(AthenaTestKit.Credentials)));
        });
        var page = host.Context.Render<AthenaPage>();

        page.Find("[data-testid=check]").Click();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=check-steps] .mud-list-item").Count), TimeSpan.FromSeconds(30));
        var steps = page.Find("[data-testid=check-steps]").TextContent;
        Assert.Contains("Pass: Credentials.", steps);
        Assert.Contains(AthenaEmulator.CallerArn, steps);
        Assert.Contains("Pass: Workgroup.", steps);
        Assert.Contains("Pass: Output location.", steps);

        page.Find("[data-testid=load-databases]").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=databases]")), TimeSpan.FromSeconds(30));
        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudSelect<string>>().Instance.ValueChanged.InvokeAsync("process_pg_bob"));
        page.WaitForAssertion(() => Assert.Contains("pg_bob_sales_order", page.Find("[data-testid=tables]").TextContent), TimeSpan.FromSeconds(30));
    }
}
