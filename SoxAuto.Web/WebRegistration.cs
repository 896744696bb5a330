using MudBlazor.Services;
using SoxAuto.Web.Api;
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
        builder.AddTrustedProxies();
        builder.AddSessionKeys();
        builder.AddSoxAutoHealth();
        builder.AddSoxAutoApi();
        builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        return builder;
    }

    public static WebApplication MapSoxAutoWeb(this WebApplication app)
    {
        app.UseTrustedProxies();
        app.UseSoxAutoSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();   // only on https requests, and never for localhost
        }
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // A refused POST (e.g. a form without its antiforgery token) answers with its bare status:
        // re-executing it into a page would replay the POST, and the page would refuse it again.
        app.Use((http, next) =>
        {
            // The API answers in its own words (problem details), never with a page.
            if ((!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) || ApiEndpoints.Answers(http.Request.Path))
                && http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
                pages.Enabled = false;
            return next(http);
        });
        app.UseSoxAutoApiProblems();
        app.UseRateLimiter();   // sign-in requests, before the authentication middleware answers /signin-oidc
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        // Brand, styles and scripts are public: the sign-in page needs them before anyone signs in.
        app.MapStaticAssets().AllowAnonymous();
        app.MapSoxAutoHealth();
        app.MapSoxAutoSignIn();
        app.MapEvidenceDownloads();
        app.MapSampleDownloads();
        app.MapRollForwardDownloads();
        app.MapSignOff();
        app.MapCatalogExport();
        app.MapAuditExport();
        app.MapSoxAutoApiAndDescription();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
