namespace SoxAuto.Web.Auth;

/// <summary>How people sign in, chosen once at start-up (<see cref="AuthRegistration.ChooseMode"/>).</summary>
public enum SignInMode
{
    /// <summary>Pick a demo person on /signin. Development, or SoxAuto:Auth:Mode = Local.</summary>
    Local,

    /// <summary>Single sign-on through an OpenID Connect provider (Okta): SoxAuto:Auth:Oidc:Authority is set.</summary>
    Oidc,
}

/// <summary>The sign-in mode chosen at start-up; the layout shows the demo banner from it.</summary>
public sealed record SignInSettings(SignInMode Mode, string? ProviderName = null)
{
    public bool IsLocalDemo => Mode == SignInMode.Local;
}
