using SoxAuto.Core.Catalog;
using SoxAuto.Core.Runs;
using SoxAuto.Web.Auth;

namespace SoxAuto.Web.Endpoints;

/// <summary>The active IPE catalog as one JSON file (admins). Import is on the admin page, over the
/// interactive circuit, so it needs no form post.</summary>
public static class CatalogExport
{
    public static IEndpointRouteBuilder MapCatalogExport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/catalog/export.json", async (HttpContext http, CatalogTransfer transfer, TimeProvider clock) =>
            {
                var actor = SignedInPerson.Of(http.User, ClientOrigin.Of(http));
                var bytes = await transfer.ExportAsync(actor, http.RequestAborted);
                var stamp = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                return Results.File(bytes, "application/json", $"soxauto-ipe-catalog_{stamp}.json");
            })
            .RequireAuthorization(Policies.Admin);
        return app;
    }
}
