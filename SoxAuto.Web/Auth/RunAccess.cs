using System.Security.Claims;
using SoxAuto.Core.Runs;

namespace SoxAuto.Web.Auth;

/// <summary>Which runs a person may see, preview and download: reviewers and admins see every run;
/// anyone else (an auditor) only the runs they ran. The policy <see cref="Policies.ViewRuns"/> lets
/// the person in at all; this is the per-run check on top of it, applied on the server by the list,
/// the run page and the downloads.</summary>
public static class RunAccess
{
    public static bool SeesEveryRun(ClaimsPrincipal user) => user.IsInRole(Roles.Reviewer) || user.IsInRole(Roles.Admin);

    public static bool MaySee(ClaimsPrincipal user, Run run) =>
        SeesEveryRun(user) || (user.Identity?.Name is { Length: > 0 } name && run.RequestedBy == name);

    /// <summary>The runs of <paramref name="runs"/> this person may see, as a database query.</summary>
    public static IQueryable<Run> VisibleTo(this IQueryable<Run> runs, ClaimsPrincipal user)
    {
        if (SeesEveryRun(user)) return runs;
        var name = user.Identity?.Name ?? "";
        return name.Length == 0 ? runs.Where(_ => false) : runs.Where(r => r.RequestedBy == name);
    }
}
