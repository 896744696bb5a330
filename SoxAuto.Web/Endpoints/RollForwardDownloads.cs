using SoxAuto.Core.Procedures.RollForward;
using SoxAuto.Web.Auth;

namespace SoxAuto.Web.Endpoints;

/// <summary>A run's roll-forward as a workbook, computed now from the two stored extracts. The run is opened
/// through RunAccess, so an auditor rolls forward only their own runs; every export is audited.</summary>
public static class RollForwardDownloads
{
    public static IEndpointRouteBuilder MapRollForwardDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/runs/{id:int}/roll-forward.xlsx", async (int id, HttpContext http, RollForwards rollForwards) =>
        {
            var who = SignedInPerson.Of(http.User, ClientOrigin.Of(http));
            try
            {
                var workbook = await rollForwards.ExportAsync(id, who, http.Request.Path, http.RequestAborted);
                return workbook is { } w ? Results.File(w.Bytes, EvidenceDownloads.XlsxContentType, w.FileName) : Results.NotFound();
            }
            catch (RollForwardException e)
            {
                return Results.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
            }
        }).RequireAuthorization(Policies.ViewRuns);
        return app;
    }
}
