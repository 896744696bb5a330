using SoxAuto.Core.Evidence.Workbook;

namespace SoxAuto.Core.Access;

/// <summary>The access review as a workbook, written with the evidence workbook's own writer: a summary
/// sheet, the people, the API access tokens, every actor's activity, and (with single sign-on) which group
/// grants which role.</summary>
internal static class AccessReviewWorkbook
{
    public static readonly string[] PeopleHeader =
    [
        "Person", "Subject", "Email", "Sign-in", "Roles", "Granted by", "Groups at last sign-in", "First sign-in (UTC)", "Last sign-in (UTC)",
        "Sign-ins in period", "Runs requested", "IPE changes", "IPE changes reviewed", "Sign-offs", "Refused", "All actions in period",
    ];

    public static readonly string[] TokensHeader =
    [
        "Token", "Acts as", "Role", "Issued by", "Issued (UTC)", "Expires (UTC)", "Revoked (UTC)", "Revoked by", "Last used (UTC)",
        "Status at review", "Actions in period",
    ];

    public static void Write(string path, AccessReviewReport report, string preparedBy)
    {
        using var package = new WorkbookPackage(path);
        var scope = report.Scope;
        SummarySheets.Table(package, 1, "Access review", [34, 120], header: null, Summary(report, preparedBy)
            .Select(l => new[] { SummaryCell.Bold(l.Key), SummaryCell.Wrapped(l.Value) }));
        SummarySheets.Table(package, 2, "People", [24, 22, 28, 22, 24, 40, 40, 22, 22, 12, 12, 12, 12, 12, 12, 14], PeopleHeader,
            report.People.Select(p => new SummaryCell[]
            {
                p.Name, p.Subject, p.Email, p.SignIn, SummaryCell.Wrapped(p.RolesText), SummaryCell.Wrapped(p.GrantsText),
                SummaryCell.Wrapped(string.Join(", ", p.Groups)), Moment(p.FirstSignIn), Moment(p.LastSignIn),
                SummaryCell.Of(p.SignInsInPeriod), SummaryCell.Of(p.RunsRequested), SummaryCell.Of(p.IpeChanges), SummaryCell.Of(p.IpeReviews),
                SummaryCell.Of(p.SignOffs), SummaryCell.Of(p.Refused), SummaryCell.Of(p.AllActions),
            }), filter: true);
        SummarySheets.Table(package, 3, "API tokens", [24, 28, 12, 24, 22, 22, 22, 24, 22, 14, 14], TokensHeader,
            report.Tokens.Select(t => new SummaryCell[]
            {
                t.Name, t.Identity, t.Role.ToString(), t.IssuedBy, UtcTime.Text(t.IssuedAt), UtcTime.Text(t.ExpiresAt),
                UtcTime.Text(t.RevokedAt), t.RevokedBy, Moment(t.LastUsedAt), t.Status.ToString(), SummaryCell.Of(t.ActionsInPeriod),
            }), filter: true);
        SummarySheets.Table(package, 4, "Activity", [30, 34, 10, 16], ["Who", "Action", "Count", "A person"],
            report.Activity.Select(a => new SummaryCell[] { a.Who, a.Action, SummaryCell.Of(a.Count), a.IsPerson ? "yes" : "no (a process or a refused sign-in)" }),
            filter: true);
        if (scope.GroupRoles.Count > 0)
            SummarySheets.Table(package, 5, "Role mapping", [40, 16], ["Provider group", "SoxAuto role"],
                scope.GroupRoles.OrderBy(g => g.Value, StringComparer.Ordinal).ThenBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => new SummaryCell[] { g.Key, g.Value }));
        package.Finish();
    }

    private static SummaryCell Moment(DateTimeOffset? t) => t is null ? "never" : UtcTime.Text(t);

    private static IEnumerable<KeyValuePair<string, string>> Summary(AccessReviewReport report, string preparedBy)
    {
        var scope = report.Scope;
        yield return new("Review", "SoxAuto user access review");
        yield return new("Period (UTC, inclusive)", scope.PeriodText);
        yield return new("Prepared by", preparedBy);
        yield return new("Prepared at", UtcTime.Text(report.PreparedAt));
        yield return new("Sign-in", scope.SignIn);
        yield return new("Who is listed", scope.GroupRoles.Count > 0
            ? "Everyone who has signed in to SoxAuto, with the roles and groups the provider gave at their last sign-in."
            : "Every person of the local demo sign-in (their roles are assigned by SoxAuto itself), and anyone else who has signed in.");
        if (scope.GroupRoles.Count > 0)
            yield return new("Not known here", "People who never signed in cannot be known: with single sign-on, SoxAuto learns about a person only when they sign in. "
                + "Review the provider's groups of the Role mapping sheet for who could. Roles are as of each person's last sign-in: someone removed from a group "
                + "keeps the role here until they sign in again (an open session lasts at most SoxAuto:Auth:CookieLifetime).");
        yield return new("Activity", "Audit trail entries in the period, counted by who acted and what they did (People: the main kinds; Activity: every kind). "
            + "Entries name people as they were called when they acted; activity recorded under another name is under Activity.");
        yield return new("People", report.People.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new("API tokens", $"{report.Tokens.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)}: every token that could act in the period "
            + "(issued before its end, neither revoked nor expired before its start), issued by an admin for the HTTP API. A token acts with its role "
            + "and is recorded as token:NAME in the audit trail; its activity by kind is under Activity.");
        yield return new("Audit trail head", report.TrailHead is { } h ? $"entry {h.Id}, SHA-256 {h.Hash}" : "(empty trail)");
    }
}
