using Microsoft.AspNetCore.Authorization;

namespace SoxAuto.Web.Auth;

/// <summary>Who may do what. Every page and endpoint names one of these (or AllowAnonymous); anything
/// that forgets falls back to "signed in", never to "anyone".</summary>
public static class Policies
{
    /// <summary>Start an IPE run (and so produce evidence).</summary>
    public const string RunIpe = nameof(RunIpe);

    /// <summary>See runs, their evidence, previews and downloads: Auditors, Reviewers, Admins. Which
    /// runs is a second, per-run check (SoxAuto.Core.Runs.RunAccess, the one door): an auditor only their own.</summary>
    public const string ViewRuns = nameof(ViewRuns);

    /// <summary>Sign off a run's evidence (Reviewer). Who ran it may not sign it off: that is
    /// SoxAuto.Core.Review.SegregationOfDuties, which the sign-off feature calls.</summary>
    public const string SignOff = nameof(SignOff);

    /// <summary>Administration: edit IPE definitions and approve changes (never one's own: segregation
    /// of duties), settings, connection checks, cancelling anyone's run.</summary>
    public const string Admin = nameof(Admin);

    /// <summary>Anyone signed in, whatever their roles: pages that explain a refusal or a missing
    /// page. Also the fallback for anything that names no policy.</summary>
    public const string SignedIn = nameof(SignedIn);

    public static AuthorizationBuilder AddSoxAutoPolicies(this AuthorizationBuilder auth) => auth
        .AddPolicy(RunIpe, p => p.RequireAuthenticatedUser().RequireRole(Roles.Auditor))
        .AddPolicy(ViewRuns, p => p.RequireAuthenticatedUser().RequireRole(Roles.Auditor, Roles.Reviewer, Roles.Admin))
        .AddPolicy(SignOff, p => p.RequireAuthenticatedUser().RequireRole(Roles.Reviewer))
        .AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin))
        .AddPolicy(SignedIn, p => p.RequireAuthenticatedUser())
        .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
}
