using SoxAuto.Core.Access;

namespace SoxAuto.Web.Auth;

/// <summary>What the sign-in setup tells the access review: with the demo sign-in SoxAuto assigns every
/// role itself (so everyone is known); with single sign-on the provider's groups do, through the role
/// mapping, and only people who have signed in are known.</summary>
public sealed class AccessScope(SignInSettings signIn, IServiceProvider services)
{
    public AccessReviewScope For(DateOnly from, DateOnly to) => signIn.Mode == SignInMode.Local
        ? new AccessReviewScope(from, to, DemoPeople.SignInKind, DemoPeople.AsPeople(), new Dictionary<string, string>())
        : new AccessReviewScope(from, to, OidcSignIn.SignInKind, [], services.GetRequiredService<OidcSettings>().RoleMapping);
}
