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
}
