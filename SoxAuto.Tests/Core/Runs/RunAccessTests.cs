using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;
using static SoxAuto.Tests.Fixtures.ReviewHost;

namespace SoxAuto.Tests.Core.Runs;

/// <summary>The one door to a run: reviewers see every run, an auditor only their own; another person's
/// run answers as a missing one, and the attempt is in the audit trail under the address asked for.</summary>
public sealed class RunAccessTests(ReviewHost review) : IClassFixture<ReviewHost>
{
    [Fact]
    public async Task An_auditor_opening_someone_elses_run_gets_nothing_and_the_attempt_is_audited_while_a_reviewer_opens_it()
    {
        var run = await review.SucceededRunAsync(new Actor("Sam Auditor", "test") { Subject = TestPeople.SubjectOf("Sam Auditor") });
        var access = review.Host.Get<RunAccess>();

        Assert.Null(await access.OpenAsync(run.Id, Ada, $"/runs/{run.Id}/extract.csv"));
        var seen = await access.OpenAsync(run.Id, Rita, $"/runs/{run.Id}");
        var own = await access.OpenAsync(run.Id, new Actor("Sam Auditor", "test") { Subject = TestPeople.SubjectOf("Sam Auditor") }, $"/runs/{run.Id}");

        Assert.Equal(run.Id, seen?.Id);
        Assert.NotEmpty(seen!.Checks);
        Assert.Equal(run.Id, own?.Id);
        await using var db = await review.Host.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var denied = await db.AuditTrail.Where(a => a.Action == "access.denied" && a.Subject == $"/runs/{run.Id}/extract.csv").ToListAsync();
        var entry = Assert.Single(denied);
        Assert.Equal("Ada Auditor", entry.Who);
        Assert.Empty(await db.AuditTrail.Where(a => a.Action == "access.denied" && a.Subject == $"/runs/{run.Id}").ToListAsync());
    }

    [Fact]
    public async Task Of_two_auditors_with_one_name_each_lists_and_opens_only_their_own_runs()
    {
        var ada = new Actor("Ada Auditor", "test") { Subject = "https://op.example#00u-ada" };
        var otherAda = ada with { Subject = "https://op.example#00u-ada-2" };
        var runs = review.Host.Get<RunService>();
        var adas = await runs.RequestAsync("IPE_09", "2025-06", null, ada);
        var others = await runs.RequestAsync("IPE_09", "2025-06", null, otherAda);
        var access = review.Host.Get<RunAccess>();

        await using var db = await review.Host.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        Assert.Equal([adas.Id], await db.Runs.VisibleTo(ada).Where(r => r.PeriodText == "2025-06").Select(r => r.Id).ToListAsync());
        Assert.Equal([others.Id], await db.Runs.VisibleTo(otherAda).Where(r => r.PeriodText == "2025-06").Select(r => r.Id).ToListAsync());
        Assert.Equal(adas.Id, (await access.OpenAsync(adas.Id, ada, $"/runs/{adas.Id}"))?.Id);
        Assert.Null(await access.OpenAsync(others.Id, ada, $"/runs/{others.Id}"));
        Assert.Null(await access.OpenAsync(adas.Id, otherAda, $"/runs/{adas.Id}"));
        var denied = await db.AuditTrail.SingleAsync(a => a.Action == "access.denied" && a.Subject == $"/runs/{adas.Id}");
        Assert.Equal(("Ada Auditor", otherAda.Subject), (denied.Who, denied.WhoSubject));
        await review.Host.WaitForFinalAsync(adas.Id);
        await review.Host.WaitForFinalAsync(others.Id);
    }
}
