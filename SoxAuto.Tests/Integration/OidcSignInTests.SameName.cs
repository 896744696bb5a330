using System.Net;
using SoxAuto.Core.Runs;

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
}
