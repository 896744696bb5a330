using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Access;
using SoxAuto.Core.Runs;
using SoxAuto.Web.Auth;

namespace SoxAuto.Tests.Integration;

public sealed partial class OidcSignInTests
{
    [Fact]
    public async Task Two_people_with_one_name_each_see_and_download_only_their_own_runs()
    {
        // Two provider accounts, both "Ada Auditor": Ada (ada) ran the fixture's run, the other Ada (ada2) runs one now.
        var othersRun = await App.RunToEndAsync("IPE_09", "2025-07", "Ada Auditor", username: "ada2");
        Assert.Equal(RunState.Succeeded, othersRun.State);
        Assert.Equal(App.Provider!.SubjectOf("ada2"), othersRun.RequestedBySubject);
        using var ada = await App.SignInThroughProviderAsync("ada");
        using var otherAda = await App.SignInThroughProviderAsync("ada2");

        foreach (var (client, own, notOwn) in new[] { (ada, fixture.AdasRun.Id, othersRun.Id), (otherAda, othersRun.Id, fixture.AdasRun.Id) })
        {
            using var mine = await client.GetAsync($"/runs/{own}/evidence.xlsx");
            using var theirs = await client.GetAsync($"/runs/{notOwn}/evidence.xlsx");
            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.NotFound), (mine.StatusCode, theirs.StatusCode));
            var list = WebUtility.HtmlDecode(await client.GetStringAsync("/"));
            Assert.Contains($"run {own}<", list);
            Assert.DoesNotContain($"run {notOwn}<", list);
        }
        // The refusal names the other Ada by her subject, though her name is the same.
        await AuditAsync(a => a.Action == "access.denied" && a.Who == "Ada Auditor" && a.WhoSubject == App.Provider.SubjectOf("ada2")
            && a.Subject == $"/runs/{fixture.AdasRun.Id}/evidence.xlsx");
    }

    [Fact]
    public async Task Two_people_with_one_name_are_two_people_in_the_access_review_with_their_own_sign_ins_and_activity()
    {
        using (await App.SignInThroughProviderAsync("ada")) { }
        using (await App.SignInThroughProviderAsync("ada2")) { }
        var (ada, otherAda) = (App.Provider!.SubjectOf("ada"), App.Provider.SubjectOf("ada2"));
        // From the day of the fixture's run to today: the two differ when the tests run across midnight.
        var from = DateOnly.FromDateTime(fixture.AdasRun.RequestedAt.UtcDateTime);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var review = await App.Services.GetRequiredService<AccessReview>().PrepareAsync(App.Services.GetRequiredService<AccessScope>().For(from, today));

        // Each sign-in is recorded as the person, by the issuer-qualified subject runs and approvals use.
        await AuditAsync(a => a.Action == "signin" && a.WhoSubject == otherAda && a.Subject == $"person/{otherAda}");
        var adas = review.People.Where(p => p.Name == "Ada Auditor").ToList();
        Assert.Equal([ada, otherAda], adas.Select(p => p.Subject).Order(StringComparer.Ordinal));
        Assert.All(adas, p => Assert.Equal(("Single sign-on", "Auditor: group sox-auditors"), (p.SignIn, p.GrantsText)));
        Assert.All(adas, p => Assert.True(p.SignInsInPeriod >= 1, $"{p.Subject}: {p.SignInsInPeriod} sign-ins"));
        // What one did is not counted for the other: the fixture's run is Ada's (ada), not the other Ada's.
        var mine = adas.Single(p => p.Subject == ada);
        Assert.True(mine.RunsRequested >= 1);
        Assert.Equal(await CountAsync("run.requested", ada, from), mine.RunsRequested);
        Assert.Equal(await CountAsync("run.requested", otherAda, from), adas.Single(p => p.Subject == otherAda).RunsRequested);
    }

    private async Task<int> CountAsync(string action, string whoSubject, DateOnly from)
    {
        var dbs = App.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<SoxAuto.Core.Data.SoxAutoDb>>();
        await using var db = await dbs.CreateDbContextAsync();
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return db.AuditTrail.Count(a => a.Action == action && a.WhoSubject == whoSubject && a.At >= start);
    }
}
