using SoxAuto.Core.Procedures.Sampling;
using SoxAuto.Web.Auth;

namespace SoxAuto.Web.Endpoints;

/// <summary>A sample of a run as a workbook (the method and the rows drawn), written now from the stored sample.
/// The run is opened through RunAccess, so an auditor gets only their own runs' samples; every export is audited.</summary>
public static class SampleDownloads
{
    public static IEndpointRouteBuilder MapSampleDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/runs/{id:int}/samples/{sampleId:int}.xlsx", async (int id, int sampleId, HttpContext http, Samples samples) =>
        {
            var who = SignedInPerson.Of(http.User, ClientOrigin.Of(http));
            var workbook = await samples.ExportAsync(id, sampleId, who, http.Request.Path, http.RequestAborted);
            return workbook is { } w ? Results.File(w.Bytes, EvidenceDownloads.XlsxContentType, w.FileName) : Results.NotFound();
        }).RequireAuthorization(Policies.ViewRuns);
        return app;
    }
}
