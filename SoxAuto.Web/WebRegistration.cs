using MudBlazor.Services;
using SoxAuto.Web.Auth;
using SoxAuto.Web.Components;
using SoxAuto.Web.Endpoints;

namespace SoxAuto.Web;

public static class WebRegistration
{
    public static WebApplicationBuilder AddSoxAutoWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.AddSoxAutoAuth();
        return builder;
    }

    public static WebApplication MapSoxAutoWeb(this WebApplication app)
    {
        app.UseSoxAutoSecurityHeaders();
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        // Brand, styles and scripts are public: the sign-in page needs them before anyone signs in.
        app.MapStaticAssets().AllowAnonymous();
        app.MapSoxAutoSignIn();
        app.MapEvidenceDownloads();
        app.MapCatalogExport();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
