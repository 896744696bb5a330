using SoxAuto.Core;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Packages;
using SoxAuto.Core.Runs;
using SoxAuto.Web.Auth;

namespace SoxAuto.Web.Endpoints;

/// <summary>The stored evidence files of a Succeeded run, byte for byte as hashed, and its package.
/// Every download is written to the audit trail: who, which file, when, from where. Each run is opened
/// through Core's one door (<see cref="RunAccess"/>): an auditor gets only their own runs' files;
/// reviewers and admins any run's; anything else answers 404, as a missing run does.</summary>
public static class EvidenceDownloads
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvContentType = "text/csv";

    public static IEndpointRouteBuilder MapEvidenceDownloads(this IEndpointRouteBuilder app)
    {
        MapEvidenceFiles(app.MapGroup("/runs"), Policies.ViewRuns);
        return app;
    }

    /// <summary>The three downloads of a run under <paramref name="runs"/> ({id}/evidence.xlsx, {id}/extract.csv,
    /// {id}/package.zip), each requiring <paramref name="policy"/>: the pages' /runs and the API's /api/v1/runs
    /// serve the same files through this one code path.</summary>
    public static RouteGroupBuilder MapEvidenceFiles(RouteGroupBuilder runs, string policy)
    {
        runs.MapGet("/{id:int}/evidence.xlsx", (int id, HttpContext http, RunAccess access, IEvidenceStore store, AuditTrail audit, ILoggerFactory logs) =>
                DownloadAsync(id, Workbook, http, access, store, audit, logs))
            .RequireAuthorization(policy).WithSummary("The run's evidence workbook, byte for byte as hashed.");
        runs.MapGet("/{id:int}/extract.csv", (int id, HttpContext http, RunAccess access, IEvidenceStore store, AuditTrail audit, ILoggerFactory logs) =>
                DownloadAsync(id, Extract, http, access, store, audit, logs))
            .RequireAuthorization(policy).WithSummary("The run's complete extract (Athena's CSV dialect), byte for byte as hashed.");
        runs.MapGet("/{id:int}/package.zip", PackageAsync).RequireAuthorization(policy)
            .WithSummary("The run's evidence package: workbook, extract, SQL, manifest, certificate and the sign-off if any.");
        return runs;
    }

    private sealed record EvidenceFile(string Kind, string Extension, string ContentType, Func<Run, string?> Path, Func<Run, string?> Sha256);

    private static readonly EvidenceFile Workbook = new("workbook", ".xlsx", XlsxContentType, r => r.WorkbookPath, r => r.WorkbookSha256);
    private static readonly EvidenceFile Extract = new("extract", ".csv", CsvContentType, r => r.ExtractPath, r => r.ExtractSha256);

    private static async Task<IResult> DownloadAsync(
        int id, EvidenceFile file, HttpContext http, RunAccess access, IEvidenceStore store, AuditTrail audit, ILoggerFactory logs)
    {
        var who = SignedInPerson.Of(http.User, ClientOrigin.Of(http));
        var run = await access.OpenAsync(id, who, http.Request.Path, http.RequestAborted);
        // Not found, not yours, not finished, failed or cancelled all look the same from outside: no evidence here.
        var relative = run is null ? null : file.Path(run);
        if (run is not { State: RunState.Succeeded } || relative is null)
            return Results.NotFound();

        var name = run.FileStem + file.Extension;
        // Streamed from the store (a folder's file answers range requests; an S3 object is sent whole).
        var stored = await store.OpenAsync(relative, http.RequestAborted);
        if (stored is null)
        {
            // A Succeeded run whose file is gone is an integrity problem, not a user error: say so.
            logs.CreateLogger(typeof(EvidenceDownloads)).LogError("Run {RunId}: stored {Kind} {Path} is missing", id, file.Kind, store.Where(relative));
            await audit.RecordAsync(who, "evidence.missing", $"run/{id}", $"{name} is missing from the evidence store.");
            return Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Evidence file missing",
                detail: $"The stored {file.Kind} of run {id} is missing. Tell a SoxAuto administrator.");
        }

        var range = http.Request.Headers.Range.ToString();
        await audit.RecordAsync(who, "evidence.downloaded", $"run/{id}",
            $"{name} (sha256 {file.Sha256(run)}){(range.Length > 0 ? $"; range {range}" : "")}");
        return Results.Stream(stored, file.ContentType, fileDownloadName: name, enableRangeProcessing: true);
    }

    /// <summary>The run's evidence package, built now (it is deterministic) into a temporary file that is
    /// deleted once sent, so that a stored file found altered stops it before the first byte goes out.</summary>
    private static async Task<IResult> PackageAsync(int id, HttpContext http, EvidencePackages packages, DataFolder folder)
    {
        var who = SignedInPerson.Of(http.User, ClientOrigin.Of(http));
        var contents = await packages.OpenAsync(id, who, http.Request.Path, http.RequestAborted);
        if (contents is null) return Results.NotFound();
        var temp = Path.Combine(folder.Root, "tmp", $"package-{id}-{Guid.NewGuid():N}.zip");
        Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
        var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await packages.WriteAsync(contents, file, who, "package.downloaded", http.RequestAborted);
            file.Position = 0;
            return Results.File(file, "application/zip", fileDownloadName: contents.FileName);
        }
        catch (EvidenceAlteredException e)
        {
            await file.DisposeAsync();
            return Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Evidence file altered",
                detail: e.Message + " Tell a SoxAuto administrator.");
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }
}
