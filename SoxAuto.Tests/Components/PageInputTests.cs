using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SoxAuto.Core.Catalog;
using SoxAuto.Web.Auth;
using SoxAuto.Web.Components.Layout;
using SoxAuto.Web.Components.Pages.Admin.Ipes;

namespace SoxAuto.Tests.Components;

/// <summary>Issue 9, finding 7: no input ends a circuit. In Blazor Server an exception that escapes an
/// event handler ends the tab's circuit; each input is refused with a message instead, and an exception
/// nobody foresaw is stopped by the layout's error boundary.</summary>
public sealed class PageInputTests : IAsyncLifetime
{
    private ComponentHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await ComponentHost.StartAsync("Alan Admin", [Roles.Admin], s =>
        {
            s.AddSingleton<CatalogTransfer>();
            s.AddSingleton(new SignInSettings(SignInMode.Local));
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void A_catalog_file_over_10_MB_is_refused_with_its_size()
    {
        var page = _host.Context.Render<IpeListPage>();

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(new byte[10 * 1024 * 1024 + 1], "huge.json"));

        page.WaitForAssertion(() => Assert.Contains(
            "huge.json: the file has 10,485,761 bytes; a catalog file may have at most 10 MB.", page.Find("[data-testid=import-report]").TextContent));
    }

    [Fact]
    public void An_exception_nobody_foresaw_is_stopped_by_the_layout_and_the_page_can_be_shown_again()
    {
        var layout = _host.Context.Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b =>
        {
            b.OpenComponent<Thrower>(0);
            b.CloseComponent();
        })));

        layout.Find("button[data-testid=throw]").Click();

        layout.WaitForAssertion(() => Assert.Contains("Something unexpected went wrong on this page", layout.Find("[data-testid=page-error]").TextContent));
        layout.Find("[data-testid=page-error] a").Click();
        layout.WaitForAssertion(() => Assert.NotEmpty(layout.FindAll("button[data-testid=throw]")));
    }

    private sealed class Thrower : ComponentBase
    {
        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder b)
        {
            b.OpenElement(0, "button");
            b.AddAttribute(1, "data-testid", "throw");
            b.AddAttribute(2, "onclick", EventCallback.Factory.Create(this, () => throw new InvalidOperationException("unforeseen")));
            b.CloseElement();
        }
    }
}
