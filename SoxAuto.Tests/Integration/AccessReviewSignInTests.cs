using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Access;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Web.Auth;

namespace SoxAuto.Tests.Integration;

/// <summary>What a sign-in through the real app leaves for the access review (local demo sign-in).</summary>
public sealed class AccessReviewSignInTests
{
    [Fact]
    public async Task Demo_people_are_listed_with_roles_from_the_demo_assignment_and_a_sign_in_sets_first_and_last_sign_in()
    {
        await using var app = SoxAutoApp.Start();
        // From the day of the sign-ins to the day of the review: the two differ when the test runs across midnight.
        var signInDay = DateOnly.FromDateTime(DateTime.UtcNow);
        using (await app.SignedInClientAsync("ada")) { }
        using (await app.SignedInClientAsync("ada")) { }
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var review = await app.Services.GetRequiredService<AccessReview>().PrepareAsync(app.Services.GetRequiredService<AccessScope>().For(signInDay, today));

        Assert.Equal(DemoPeople.All.Select(p => p.Name).Order(StringComparer.Ordinal), review.People.Select(p => p.Name));
        var ada = review.People.Single(p => p.Subject == "ada");
        Assert.Equal(("Local demo sign-in", "Auditor: demo assignment", 2), (ada.SignIn, ada.GrantsText, ada.SignInsInPeriod));
        Assert.True(ada.FirstSignIn < ada.LastSignIn, $"First {ada.FirstSignIn:O}, last {ada.LastSignIn:O}.");
        var rita = review.People.Single(p => p.Subject == "rita");
        Assert.Equal(("Reviewer: demo assignment", null), (rita.GrantsText, rita.LastSignIn));
    }
}
