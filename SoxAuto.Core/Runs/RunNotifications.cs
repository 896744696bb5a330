using System.Globalization;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Notifications;

namespace SoxAuto.Core.Runs;

/// <summary>What people are told when a run ends: a failed run, or a succeeded one whose evidence now
/// awaits a reviewer's sign-off (on the run's page). Cancelled runs were ended by a person, who knows.</summary>
internal static class RunNotifications
{
    public static NotificationMessage? For(Run run)
    {
        var what = $"run {run.Id} of {run.IpeId} for {run.PeriodText}";
        var ipe = $"{run.IpeId} v{run.IpeVersionNumber}{(run.IpeVersion?.Definition.Title is { Length: > 0 } title ? $" ({title})" : "")}";
        var who = $"Run by {run.RequestedBy}, requested {UtcTime.Text(run.RequestedAt)}, ended {UtcTime.Text(run.FinishedAt)}.";
        return run.State switch
        {
            RunState.Failed => new(NotificationKind.RunFailed, $"run/{run.Id}", $"SoxAuto: {what} failed",
                $"Run {run.Id} of {ipe} for {run.Period.Describe()} failed.\n\nWhy: {run.Message}\n\n{who}",
                $"/runs/{run.Id}", "Open the run", Data(run)),
            RunState.Succeeded => new(NotificationKind.RunAwaitingReview, $"run/{run.Id}", $"SoxAuto: {what} awaits review",
                $"Run {run.Id} of {ipe} for {run.Period.Describe()} succeeded; its evidence awaits a reviewer's sign-off.\n\n" +
                $"Rows: {run.RowCount?.ToString("N0", CultureInfo.InvariantCulture)}. Extract SHA-256: {run.ExtractSha256}. Checks: {Checks(run)}.\n\n{who}",
                $"/runs/{run.Id}", "Review it", Data(run)),
            _ => null,
        };
    }

    private static string Checks(Run run) => run.Checks.Count == 0 ? "none"
        : string.Join(", ", run.Checks.GroupBy(c => c.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Words(g.Key)}"));

    private static string Words(CheckStatus status) => status switch
    {
        CheckStatus.Passed => "passed",
        CheckStatus.Failed => "failed",
        _ => "not run",
    };

    private static object Data(Run run) => new
    {
        run = new
        {
            id = run.Id,
            ipe = run.IpeId,
            ipeVersion = run.IpeVersionNumber,
            period = run.PeriodText,
            status = run.State.ToString(),
            message = run.Message,
            runBy = run.RequestedBy,
            requestedAt = run.RequestedAt,
            finishedAt = run.FinishedAt,
            rows = run.RowCount,
            extractSha256 = run.ExtractSha256,
            workbookSha256 = run.WorkbookSha256,
            checks = run.Checks.OrderBy(c => c.Order).Select(c => new { name = c.Name, status = c.Status.ToString() }),
        },
    };
}
