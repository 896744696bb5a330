namespace SoxAuto.Web.Auth;

/// <summary>How people sign in. Only the local demo sign-in exists today; OIDC (Okta) is the next
/// mode, added beside <see cref="Local"/> in <see cref="AuthRegistration"/>.</summary>
public enum SignInMode
{
    /// <summary>Pick a demo person on /signin. Development, or SoxAuto:Auth:Mode = Local.</summary>
    Local,
}

/// <summary>The sign-in mode chosen at start-up; the layout shows the demo banner from it.</summary>
public sealed record SignInSettings(SignInMode Mode)
{
    public bool IsLocalDemo => Mode == SignInMode.Local;
}
