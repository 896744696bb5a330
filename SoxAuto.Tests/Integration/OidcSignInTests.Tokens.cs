using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Engines.Athena;
using SoxAuto.Tests.Fixtures.Athena;

namespace SoxAuto.Tests.Integration;

public sealed partial class OidcSignInTests
{
    [Fact]
    public async Task Single_sign_on_keeps_the_persons_own_ID_token_for_their_runs_AWS_credentials_and_sign_out_drops_it()
    {
        var tokens = App.Services.GetRequiredService<IPersonTokens>();
        using var casey = await App.SignInThroughProviderAsync("casey");

        var held = await tokens.ForRunAsync(new EngineRunner(1, App.Provider!.SubjectOf("casey")), CancellationToken.None);

        Assert.NotNull(held);
        var claims = FakeSts.Claims(held.IdToken)!;   // the provider's ID token itself, as STS will receive it
        Assert.Equal(("casey", "casey"), (held.Subject, (string?)claims["sub"]));
        Assert.Equal(["Everyone", "sox-auditors", "sox-reviewers"], held.Groups);
        Assert.Null(await tokens.ForRunAsync(new EngineRunner(1, "Casey Controller"), CancellationToken.None));

        var home = await casey.GetStringAsync("/");
        var antiforgery = System.Net.WebUtility.HtmlDecode(AntiforgeryField().Match(home).Groups[1].Value);
        await casey.PostAsync("/auth/signout", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["__RequestVerificationToken"] = antiforgery, ["returnUrl"] = "/" }));
        Assert.Null(await tokens.ForRunAsync(new EngineRunner(1, App.Provider!.SubjectOf("casey")), CancellationToken.None));
    }
}
