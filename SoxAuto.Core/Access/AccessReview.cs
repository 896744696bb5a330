using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;
using SoxAuto.Core.Evidence.Workbook;
using SoxAuto.Core.Runs;
using SoxAuto.Core.Tokens;

namespace SoxAuto.Core.Access;

/// <summary>What the review covers and what the sign-in setup says about people, from the web app.</summary>
/// <param name="From">First day of the period (UTC), inclusive.</param>
/// <param name="To">Last day of the period (UTC), inclusive.</param>
/// <param name="SignIn">How people sign in, in words.</param>
/// <param name="Assigned">People whose roles SoxAuto itself assigns (the local demo sign-in): listed even if they never signed in.</param>
/// <param name="GroupRoles">Provider group -> role (single sign-on); empty for the demo sign-in.</param>
public sealed record AccessReviewScope(DateOnly From, DateOnly To, string SignIn, IReadOnlyList<Person> Assigned, IReadOnlyDictionary<string, string> GroupRoles)
{
    public string PeriodText => $"{Day(From)} to {Day(To)}";

    internal static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>One person in the review: their roles as of their last sign-in and what they did in the period.</summary>
public sealed record ReviewedPerson(
    string Name, string Subject, string? Email, string SignIn, IReadOnlyList<RoleGrant>? Roles, IReadOnlyList<string> Groups,
    DateTimeOffset? FirstSignIn, DateTimeOffset? LastSignIn, int SignInsInPeriod, IReadOnlyDictionary<string, int> Actions)
{
    public int Count(string action) => Actions.GetValueOrDefault(action);
    public int RunsRequested => Count("run.requested");
    public int IpeChanges => Count("ipe.draft");
    /// <summary>Other people's IPE changes approved or rejected.</summary>
    public int IpeReviews => Count("ipe.approved") + Count("ipe.rejected");
    public int SignOffs => Actions.Where(a => a.Key.StartsWith("signoff.", StringComparison.Ordinal) && !a.Key.EndsWith(".denied", StringComparison.Ordinal)).Sum(a => a.Value);
    public int Refused => Actions.Where(a => a.Key.EndsWith(".denied", StringComparison.Ordinal)).Sum(a => a.Value);
    public int AllActions => Actions.Values.Sum();

    /// <summary>"Auditor, Reviewer", "(none)", or that the roles were never recorded.</summary>
    public string RolesText => Roles is null ? "(not recorded: last signed in before SoxAuto kept roles)"
        : Roles.Count == 0 ? "(none)" : string.Join(", ", Roles.Select(r => r.Role));

    public string GrantsText => Roles is null || Roles.Count == 0 ? "" : string.Join("; ", Roles.Select(r => $"{r.Role}: {r.From}"));
}

/// <summary>Who did how much of what in the period, by the name recorded in the audit trail.</summary>
public sealed record ActivityCount(string Who, string Action, int Count, bool IsPerson);

/// <summary>An API access token that could act in the period (issued before its end, not ended before its start):
/// automation holds access too, so the review lists it beside the people.</summary>
/// <param name="Status">As of when the review was prepared.</param>
/// <param name="ActionsInPeriod">Audit trail entries in the period made as the token (<c>token:NAME</c>).</param>
public sealed record ReviewedToken(
    string Name, TokenScope Role, string IssuedBy, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, string? RevokedBy, DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt, TokenStatus Status, int ActionsInPeriod)
{
    public string Identity => AccessToken.IdentityOf(Name);
}

public sealed record AccessReviewReport(
    AccessReviewScope Scope, IReadOnlyList<ReviewedPerson> People, IReadOnlyList<ActivityCount> Activity, IReadOnlyList<ReviewedToken> Tokens,
    ChainHead? TrailHead, DateTimeOffset PreparedAt);

/// <summary>The exported workbook, as the admin downloads it, with its own SHA-256.</summary>
public sealed record AccessReviewFile(string FileName, byte[] Bytes, string Sha256, AccessReviewReport Report);

/// <summary>
/// SoxAuto's own user access review (the tool is in scope of IT general controls): who holds which role
/// and from where, first and last sign-in, and what each did in a period, read from the people table
/// (<see cref="Person"/>) and the audit trail. With single sign-on only people who have signed in are
/// known; the provider's groups are the authority for who else could.
/// </summary>
public sealed class AccessReview(IDbContextFactory<SoxAutoDb> dbs, AuditTrail audit, TimeProvider clock)
{
    public async Task<AccessReviewReport> PrepareAsync(AccessReviewScope scope, CancellationToken ct = default)
    {
        if (scope.To < scope.From)
            throw new ArgumentException($"The period ends ({AccessReviewScope.Day(scope.To)}) before it starts ({AccessReviewScope.Day(scope.From)}).");
        var start = new DateTimeOffset(scope.From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(scope.To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var db = await dbs.CreateDbContextAsync(ct);

        // Ids grow with time, so the first and last sign-in are the entries with the lowest and highest id.
        var signIns = await db.AuditTrail.AsNoTracking().Where(a => a.Action == "signin").GroupBy(a => a.Subject)
            .Select(g => new { Subject = g.Key, FirstId = g.Min(a => a.Id), LastId = g.Max(a => a.Id), InPeriod = g.Count(a => a.At >= start && a.At < end) })
            .ToListAsync(ct);
        var ids = signIns.SelectMany(s => new[] { s.FirstId, s.LastId }).Distinct().ToList();
        var moments = await db.AuditTrail.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.At, a.Who }).ToDictionaryAsync(a => a.Id, ct);
        var activity = await db.AuditTrail.AsNoTracking().Where(a => a.At >= start && a.At < end)
            .GroupBy(a => new { a.Who, a.WhoSubject, a.Action }).Select(g => new { g.Key.Who, g.Key.WhoSubject, g.Key.Action, Count = g.Count() }).ToListAsync(ct);
        var recorded = await db.People.AsNoTracking().ToDictionaryAsync(p => p.Subject, ct);
        var head = await db.AuditTrail.AsNoTracking().OrderByDescending(a => a.Id).Select(a => new ChainHead(a.Id, a.Hash)).FirstOrDefaultAsync(ct);

        // Sign-ins and people recorded before subjects were issuer-qualified name the bare sub: once that person has signed
        // in again, they are the one person whose subject ends with #sub.
        var qualified = recorded.Keys.Where(k => k.Contains('#', StringComparison.Ordinal)).ToList();
        string Current(string key) => key.Contains('#', StringComparison.Ordinal)
            || qualified.Where(k => k.EndsWith("#" + key, StringComparison.Ordinal)).Take(2).ToList() is not [var only] ? key : only;
        var bySubject = signIns
            .GroupBy(s => Current(s.Subject.StartsWith("person/", StringComparison.Ordinal) ? s.Subject["person/".Length..] : s.Subject), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new { FirstId = g.Min(s => s.FirstId), LastId = g.Max(s => s.LastId), InPeriod = g.Sum(s => s.InPeriod) }, StringComparer.Ordinal);
        var subjects = scope.Assigned.Select(p => p.Subject).Concat(recorded.Keys.Where(k => Current(k) == k)).Concat(bySubject.Keys).Distinct(StringComparer.Ordinal);
        var assigned = scope.Assigned.ToDictionary(p => p.Subject);
        var people = new List<ReviewedPerson>();
        foreach (var subject in subjects)
        {
            var person = recorded.GetValueOrDefault(subject) ?? assigned.GetValueOrDefault(subject);
            var s = bySubject.GetValueOrDefault(subject);
            var name = person?.Name ?? (s is null ? subject : moments[s.LastId].Who);
            // What they did, by their subject; an entry recorded before subjects were (none) counts by the name.
            var actions = activity.Where(a => a.WhoSubject is null ? a.Who == name : a.WhoSubject == subject)
                .GroupBy(a => a.Action, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(a => a.Count), StringComparer.Ordinal);
            people.Add(new ReviewedPerson(name, subject, person?.Email, person?.SignIn ?? scope.SignIn, person?.Roles, person?.Groups ?? [],
                s is null ? null : moments[s.FirstId].At, s is null ? null : moments[s.LastId].At, s?.InPeriod ?? 0, actions));
        }
        var now = clock.GetUtcNow();
        // A handful of rows: filtered here, where the end (revoked or expired, whichever came first) is plain to read.
        var tokens = (await db.AccessTokens.AsNoTracking().ToListAsync(ct))
            .Where(t => t.IssuedAt < end && (t.RevokedAt is { } r && r < t.ExpiresAt ? r : t.ExpiresAt) > start)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => new ReviewedToken(t.Name, t.Scope, t.IssuedBy, t.IssuedAt, t.ExpiresAt, t.RevokedBy, t.RevokedAt, t.LastUsedAt, t.StatusAt(now),
                activity.Where(a => (a.WhoSubject ?? a.Who) == t.Identity).Sum(a => a.Count)))
            .ToList();
        var names = people.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var counts = activity.GroupBy(a => new { a.Who, a.Action }).Select(g => new ActivityCount(g.Key.Who, g.Key.Action, g.Sum(a => a.Count), names.Contains(g.Key.Who)))
            .OrderBy(a => a.IsPerson ? 0 : 1).ThenBy(a => a.Who, StringComparer.Ordinal).ThenBy(a => a.Action, StringComparer.Ordinal).ToList();
        return new AccessReviewReport(scope, people.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Subject, StringComparer.Ordinal).ToList(),
            counts, tokens, head, now);
    }

    /// <summary>The review as a workbook for <paramref name="actor"/>, recorded in the audit trail with the
    /// workbook's SHA-256, so the file handed to a control owner can be matched to this export later.</summary>
    public async Task<AccessReviewFile> ExportAsync(AccessReviewScope scope, Actor actor, CancellationToken ct = default)
    {
        var report = await PrepareAsync(scope, ct);
        var name = $"soxauto-access-review_{AccessReviewScope.Day(scope.From)}_{AccessReviewScope.Day(scope.To)}.xlsx";
        var bytes = await WorkbookPackage.BytesAsync(path => AccessReviewWorkbook.Write(path, report, actor.Name), ct);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await audit.RecordAsync(actor, "access-review.exported", "access-review",
            $"{scope.PeriodText}; {report.People.Count} people; {name} (sha256 {sha256})", ct);
        return new AccessReviewFile(name, bytes, sha256, report);
    }
}
