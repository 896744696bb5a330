using Microsoft.EntityFrameworkCore;
using SoxAuto.Core;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;
using SoxAuto.Web.Auth;

namespace SoxAuto.Web.Endpoints;

/// <summary>The stored evidence files of a Succeeded run, byte for byte as hashed. Every download is
/// written to the audit trail: who, which file, when, from where. An auditor gets only their own
/// runs' files (<see cref="RunAccess"/>); reviewers and admins any run's.</summary>
public static class EvidenceDownloads
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvContentType = "text/csv";

    public static IEndpointRouteBuilder MapEvidenceDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/runs/{id:int}/evidence.xlsx", (int id, HttpContext http, IDbContextFactory<SoxAutoDb> dbs, DataFolder folder, AuditTrail audit, ILoggerFactory logs) =>
                DownloadAsync(id, Workbook, http, dbs, folder, audit, logs))
            .RequireAuthorization(Policies.ViewRuns);
        app.MapGet("/runs/{id:int}/extract.csv", (int id, HttpContext http, IDbContextFactory<SoxAutoDb> dbs, DataFolder folder, AuditTrail audit, ILoggerFactory logs) =>
                DownloadAsync(id, Extract, http, dbs, folder, audit, logs))
            .RequireAuthorization(Policies.ViewRuns);
        return app;
    }

    private sealed record EvidenceFile(string Kind, string Extension, string ContentType, Func<Run, string?> Path, Func<Run, string?> Sha256);

    private static readonly EvidenceFile Workbook = new("workbook", ".xlsx", XlsxContentType, r => r.WorkbookPath, r => r.WorkbookSha256);
    private static readonly EvidenceFile Extract = new("extract", ".csv", CsvContentType, r => r.ExtractPath, r => r.ExtractSha256);

    private static async Task<IResult> DownloadAsync(
        int id, EvidenceFile file, HttpContext http, IDbContextFactory<SoxAutoDb> dbs, DataFolder folder, AuditTrail audit, ILoggerFactory logs)
    {
        await using var db = await dbs.CreateDbContextAsync(http.RequestAborted);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, http.RequestAborted);
        var relative = run is null ? null : file.Path(run);
        var who = http.User.Identity?.Name ?? "anonymous";
        var origin = ClientOrigin.Of(http);
        // Another person's run answers exactly as a missing one (so ids cannot be probed), but the
        // attempt is kept in the audit trail.
        if (run is not null && !RunAccess.MaySee(http.User, run))
        {
            await audit.RecordAsync(who, "access.denied", http.Request.Path, $"{http.Request.Method}; run {id} was run by someone else; roles: {AuthRegistration.RolesOf(http.User)}",
                origin, http.RequestAborted);
            return Results.NotFound();
        }
        // Not found, not finished, failed or cancelled all look the same from outside: no evidence here.
        if (run is not { State: RunState.Succeeded } || relative is null)
            return Results.NotFound();

        var path = folder.Absolute(relative);
        var name = run.FileStem + file.Extension;
        if (!File.Exists(path))
        {
            // A Succeeded run whose file is gone is an integrity problem, not a user error: say so.
            logs.CreateLogger(typeof(EvidenceDownloads)).LogError("Run {RunId}: stored {Kind} {Path} is missing", id, file.Kind, path);
            await audit.RecordAsync(who, "evidence.missing", $"run/{id}", $"{name} is missing from the evidence store.", origin);
            return Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Evidence file missing",
                detail: $"The stored {file.Kind} of run {id} is missing. Tell a SoxAuto administrator.");
        }

        var range = http.Request.Headers.Range.ToString();
        await audit.RecordAsync(who, "evidence.downloaded", $"run/{id}",
            $"{name} (sha256 {file.Sha256(run)}){(range.Length > 0 ? $"; range {range}" : "")}", origin);
        return Results.File(path, file.ContentType, fileDownloadName: name, enableRangeProcessing: true);
    }
}
