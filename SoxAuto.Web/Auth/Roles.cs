namespace SoxAuto.Web.Auth;

/// <summary>The roles a person can hold. Pages and endpoints never test these directly: they name a
/// policy (<see cref="Policies"/>), so who may do what is decided in one place.</summary>
public static class Roles
{
    public const string Auditor = "Auditor";
    public const string Reviewer = "Reviewer";
    public const string Admin = "Admin";

    /// <summary>Claim types used for every sign-in scheme, so policies and the UI read the same claims.
    /// An OIDC scheme maps its own claims (e.g. groups) onto these.</summary>
    public const string NameClaim = "name";
    public const string RoleClaim = "role";
}
