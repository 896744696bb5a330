using System.Security.Cryptography;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SoxAuto.Core.Access;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Runs;
using SoxAuto.Core.Tokens;
using SoxAuto.Tests.Core.Evidence;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Access;

/// <summary>SoxAuto's own user access review, as the exported workbook reads in an independent reader
/// (DocumentFormat.OpenXml): who holds which role and from where, first and last sign-in, what each did.</summary>
public sealed class AccessReviewTests
{
    private static readonly DateOnly From = new(2025, 10, 1), To = new(2025, 12, 31);

    [Fact]
    public async Task The_workbook_lists_each_person_with_roles_their_source_sign_ins_and_activity_in_the_period()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 9, 15, 8, 0, 0, TimeSpan.Zero));
        var (trail, people) = (new AuditTrail(database.Dbs, clock, NullLogger<AuditTrail>.Instance), new People(database.Dbs, clock));
        await SignInAsync(trail, people, "ada", "Ada Auditor", new RoleGrant("Auditor", "demo assignment"));           // before the period
        clock.SetUtcNow(new DateTimeOffset(2025, 10, 5, 9, 30, 0, TimeSpan.Zero));
        await SignInAsync(trail, people, "ada", "Ada Auditor", new RoleGrant("Auditor", "demo assignment"));
        await trail.RecordAsync("Ada Auditor", "run.requested", "run/1");
        await trail.RecordAsync("Ada Auditor", "run.requested", "run/2");
        await trail.RecordAsync("system", "run.succeeded", "run/1");
        await trail.RecordAsync("Ada Auditor", "ipe.approve.denied", "ipe/IPE_09/v2");
        clock.SetUtcNow(new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero));
        await trail.RecordAsync("Ada Auditor", "run.requested", "run/3");                                             // after the period
        var scope = new AccessReviewScope(From, To, "Local demo sign-in",
            [new Person { Subject = "ada", Name = "Ada Auditor", SignIn = "Local demo sign-in", Roles = [new("Auditor", "demo assignment")] },
             new Person { Subject = "rita", Name = "Rita Reviewer", SignIn = "Local demo sign-in", Roles = [new("Reviewer", "demo assignment")] }],
            new Dictionary<string, string>());

        var file = await new AccessReview(database.Dbs, trail, clock).ExportAsync(scope, new Actor("Alan Admin", "192.0.2.10") { Subject = TestPeople.SubjectOf("Alan Admin") });

        using var workbook = Open(file.Bytes);
        Assert.Equal(["Access review", "People", "API tokens", "Activity"], workbook.SheetNames);
        var listed = Table(workbook, "People");
        Assert.Equal(["Person", "Subject", "Email", "Sign-in", "Roles", "Granted by", "Groups at last sign-in", "First sign-in (UTC)", "Last sign-in (UTC)",
            "Sign-ins in period", "Runs requested", "IPE changes", "IPE changes reviewed", "Sign-offs", "Refused", "All actions in period"], listed[0]);
        var ada = listed.Single(r => r[0] == "Ada Auditor");
        Assert.Equal(("Auditor", "Auditor: demo assignment"), (ada[4], ada[5]));
        Assert.Equal(("2025-09-15 08:00:00 UTC", "2025-10-05 09:30:00 UTC"), (ada[7], ada[8]));
        Assert.Equal(["1", "2", "0", "0", "0", "1", "4"], ada[9..16]);
        var rita = listed.Single(r => r[0] == "Rita Reviewer");
        Assert.Equal(("Reviewer", "never", "never", "0"), (rita[4], rita[7], rita[8], rita[15]));
        var activity = Table(workbook, "Activity");
        Assert.Contains(activity, r => r.SequenceEqual(["Ada Auditor", "run.requested", "2", "yes"]));
        Assert.Contains(activity, r => r[0] == "system" && r[1] == "run.succeeded" && r[2] == "1" && r[3].StartsWith("no"));
        Assert.Contains(Table(workbook, "Access review"), r => r[0] == "Period (UTC, inclusive)" && r[1] == "2025-10-01 to 2025-12-31");

        // The export is on the record with the workbook's own SHA-256.
        await using var db = await database.Dbs.CreateDbContextAsync();
        var exported = await db.AuditTrail.SingleAsync(a => a.Action == "access-review.exported");
        Assert.Equal("Alan Admin", exported.Who);
        Assert.Contains($"sha256 {Convert.ToHexStringLower(SHA256.HashData(file.Bytes))}", exported.Detail);
    }

    [Fact]
    public async Task With_single_sign_on_each_role_names_the_group_that_gave_it_and_the_mapping_has_its_own_sheet()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 11, 3, 10, 0, 0, TimeSpan.Zero));
        var (trail, people) = (new AuditTrail(database.Dbs, clock, NullLogger<AuditTrail>.Instance), new People(database.Dbs, clock));
        await SignInAsync(trail, people, "oidc-casey", "Casey Controller",
            new RoleGrant("Auditor", "group sox-auditors"), new RoleGrant("Reviewer", "group sox-reviewers"));
        var scope = new AccessReviewScope(From, To, "Single sign-on", [],
            new Dictionary<string, string> { ["sox-auditors"] = "Auditor", ["sox-reviewers"] = "Reviewer", ["sox-admins"] = "Admin" });

        var file = await new AccessReview(database.Dbs, trail, clock).ExportAsync(scope, new Actor("Beth Admin", "192.0.2.10") { Subject = TestPeople.SubjectOf("Beth Admin") });

        using var workbook = Open(file.Bytes);
        var casey = Assert.Single(Table(workbook, "People")[1..]);
        Assert.Equal(("Casey Controller", "Auditor, Reviewer", "Auditor: group sox-auditors; Reviewer: group sox-reviewers"), (casey[0], casey[4], casey[5]));
        Assert.Contains(Table(workbook, "Role mapping"), r => r.SequenceEqual(["sox-admins", "Admin"]));
    }

    [Fact]
    public async Task Access_tokens_that_could_act_in_the_period_are_listed_with_their_role_issuer_end_and_activity()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 8, 1, 9, 0, 0, TimeSpan.Zero));
        var trail = new AuditTrail(database.Dbs, clock, NullLogger<AuditTrail>.Instance);
        var tokens = new AccessTokens(database.Dbs, trail, clock);
        var admin = new Actor("Alan Admin", "192.0.2.10") { Subject = TestPeople.SubjectOf("Alan Admin") };
        await tokens.IssueAsync("ended-before", "Auditor", "4w", admin);             // expires 2025-08-29, before the period
        await tokens.IssueAsync("revoked-before", "Admin", "52w", admin);
        await tokens.RevokeAsync("revoked-before", admin);
        await tokens.IssueAsync("expired-within", "Reviewer", "12w", admin);         // expires 2025-10-24, within it
        clock.SetUtcNow(new DateTimeOffset(2025, 10, 10, 7, 0, 0, TimeSpan.Zero));
        await tokens.IssueAsync("nightly-close", "Auditor", "30w", admin);
        var nightly = new Actor(AccessToken.IdentityOf("nightly-close"), "192.0.2.20") { Subject = AccessToken.IdentityOf("nightly-close") };
        await trail.RecordAsync(nightly, "run.requested", "run/7");
        await trail.RecordAsync(nightly, "run.requested", "run/8");
        clock.SetUtcNow(new DateTimeOffset(2025, 12, 1, 12, 0, 0, TimeSpan.Zero));
        await tokens.RevokeAsync("nightly-close", admin);
        clock.SetUtcNow(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
        await tokens.IssueAsync("issued-after", "Auditor", "4w", admin);
        var scope = new AccessReviewScope(From, To, "Local demo sign-in", [], new Dictionary<string, string>());

        var file = await new AccessReview(database.Dbs, trail, clock).ExportAsync(scope, admin);

        Assert.Equal(["expired-within", "nightly-close"], file.Report.Tokens.Select(t => t.Name));
        using var workbook = Open(file.Bytes);
        var listed = Table(workbook, "API tokens");
        Assert.Equal(["Token", "Acts as", "Role", "Issued by", "Issued (UTC)", "Expires (UTC)", "Revoked (UTC)", "Revoked by", "Last used (UTC)",
            "Status at review", "Actions in period"], listed[0]);
        Assert.Equal(["expired-within", "token:expired-within", "Reviewer", "Alan Admin", "2025-08-01 09:00:00 UTC", "2025-10-24 09:00:00 UTC", "", "",
            "never", "Expired", "0"], listed[1]);
        Assert.Equal(["nightly-close", "token:nightly-close", "Auditor", "Alan Admin", "2025-10-10 07:00:00 UTC", "2026-05-08 07:00:00 UTC",
            "2025-12-01 12:00:00 UTC", "Alan Admin", "never", "Revoked", "2"], listed[2]);
        Assert.Contains(Table(workbook, "Access review"), r => r[0] == "API tokens" && r[1].StartsWith("2: every token that could act in the period", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_period_that_ends_before_it_starts_is_refused()
    {
        await using var database = await TestDatabase.CreateAsync();
        var review = new AccessReview(database.Dbs, new AuditTrail(database.Dbs, TimeProvider.System, NullLogger<AuditTrail>.Instance), TimeProvider.System);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => review.PrepareAsync(new AccessReviewScope(To, From, "Local demo sign-in", [], new Dictionary<string, string>())));

        Assert.Equal("The period ends (2025-10-01) before it starts (2025-12-31).", e.Message);
    }

    /// <summary>What a sign-in leaves behind: its audit entry and the person as of now.</summary>
    private static async Task SignInAsync(AuditTrail trail, People people, string subject, string name, params RoleGrant[] roles)
    {
        await trail.RecordAsync(name, "signin", $"person/{subject}");
        await people.SignedInAsync(new Person
        {
            Subject = subject,
            Name = name,
            SignIn = roles[0].From.StartsWith("group", StringComparison.Ordinal) ? "Single sign-on" : "Local demo sign-in",
            Roles = [.. roles],
            Groups = [.. roles.Where(r => r.From.StartsWith("group ", StringComparison.Ordinal)).Select(r => r.From[6..])],
        });
    }

    private static WorkbookReadBack Open(byte[] bytes) => new(new MemoryStream(bytes));

    /// <summary>A sheet's rows as text, each cell in its column (an empty cell is not written at all).</summary>
    private static List<string[]> Table(WorkbookReadBack workbook, string sheet) => workbook.Rows(sheet).Select(r =>
    {
        var cells = r.Elements<Cell>().ToList();
        var row = new string[cells.Count == 0 ? 0 : cells.Max(c => Column(c)) + 1];
        Array.Fill(row, "");
        foreach (var c in cells) row[Column(c)] = WorkbookReadBack.Text(c) ?? "";
        return row;
    }).ToList();

    private static int Column(Cell c) => c.CellReference!.Value!.TakeWhile(char.IsAsciiLetter).Aggregate(0, (n, l) => n * 26 + l - 'A' + 1) - 1;
}
