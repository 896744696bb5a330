using System.Globalization;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;

namespace SoxAuto.Web.Api;

/// <summary><c>POST /api/v1/runs</c>: the IPE, the period (2025-09, 2025-Q3, 2025, 2025-09-15) and the IPE's own
/// parameters by name (a string; a list parameter also takes an array of strings).</summary>
public sealed record RunRequest(string? Ipe, string? Period, Dictionary<string, System.Text.Json.JsonElement>? Parameters);

/// <summary>An IPE that can be run: its approved (active) version and the parameters it takes.</summary>
public sealed record IpeResource(string Id, string Title, string Control, int Version, string Database, IReadOnlyList<ParameterResource> Parameters)
{
    public static IpeResource Of(IpeVersion v) => new(v.IpeId, v.Definition.Title, v.Definition.Control, v.Number, v.Definition.Database,
        v.Definition.Parameters.Select(p => new ParameterResource(p.Name, p.Type.ToString(), p.Required, p.Default, p.Description)).ToList());
}

public sealed record ParameterResource(string Name, string Type, bool Required, string? Default, string? Description);

/// <summary>A run as the API shows it: where it stands, what it produced, its checks and its review.</summary>
public sealed record RunResource(
    int Id, string Kind, string Ipe, int IpeVersion, string Period, string PeriodStart, string PeriodEnd,
    IReadOnlyDictionary<string, string> Parameters, string State, string? Message,
    string RequestedBy, DateTimeOffset RequestedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    string? Engine, string? ExecutionId, long? Rows, FileResource? Extract, FileResource? Workbook, string? Package,
    IReadOnlyList<CheckResource> Checks, ReviewResource Review)
{
    public static RunResource Of(Run run, SignOff? signOff, string runs)
    {
        var evidence = run.State == RunState.Succeeded;
        return new(run.Id, run.Kind.ToString(), run.IpeId, run.IpeVersionNumber, run.PeriodText,
            Iso(run.Period.Start), Iso(run.Period.End), run.Parameters.ToDictionary(p => p.Name, p => p.Display),
            run.State.ToString(), run.Message, run.RequestedBy, run.RequestedAt, run.StartedAt, run.FinishedAt,
            run.Engine, run.ExecutionId, run.RowCount,
            evidence && run.ExtractSha256 is { } csv ? new(run.FileStem + ".csv", csv, run.ExtractBytes ?? 0, $"{runs}/{run.Id}/extract.csv") : null,
            evidence && run.WorkbookSha256 is { } xlsx ? new(run.FileStem + ".xlsx", xlsx, run.WorkbookBytes ?? 0, $"{runs}/{run.Id}/evidence.xlsx") : null,
            evidence ? $"{runs}/{run.Id}/package.zip" : null,
            run.Checks.OrderBy(c => c.Order).Select(c => new CheckResource(c.Name, c.Status.ToString(), c.Expected, c.Actual, c.Detail)).ToList(),
            new(ReviewService.StateOf(run, signOff?.Decision).ToString(), signOff?.By, signOff?.At, signOff?.Comment));
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>An evidence file: its name, the SHA-256 and size SoxAuto recorded, and where to download it.</summary>
public sealed record FileResource(string Name, string Sha256, long Bytes, string Href);

public sealed record CheckResource(string Name, string Status, string Expected, string Actual, string Detail);

/// <summary>NotForReview (not succeeded), AwaitingReview, Approved or Rejected, with the sign-off when there is one.</summary>
public sealed record ReviewResource(string State, string? By, DateTimeOffset? At, string? Comment);
