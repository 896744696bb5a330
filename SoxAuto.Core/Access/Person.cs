namespace SoxAuto.Core.Access;

/// <summary>A role a person holds and what gave it to them: a provider group (<c>group sox-auditors</c>)
/// or the local demo sign-in's assignment.</summary>
public sealed record RoleGrant(string Role, string From);

/// <summary>Someone who has signed in, as of their last sign-in: the roles they held then and where those
/// came from. SoxAuto learns about people only when they sign in (with single sign-on the provider's
/// groups are the authority), so this is what it knows, not who may exist. Updated at every sign-in;
/// the audit trail keeps each sign-in as it happened.</summary>
public sealed class Person
{
    /// <summary>Their subject (<see cref="PersonSubject"/>): <c>issuer#sub</c> with single sign-on, or the demo person's id;
    /// stable across name changes. Rows written before SoxAuto 14 hold the bare <c>sub</c> until the person signs in again.</summary>
    public required string Subject { get; set; }
    public required string Name { get; set; }
    public string? Email { get; set; }
    /// <summary>How they signed in: single sign-on or the local demo sign-in.</summary>
    public required string SignIn { get; set; }
    public List<RoleGrant> Roles { get; set; } = [];
    /// <summary>Every group the provider named at the last sign-in, whether or not it maps to a role.</summary>
    public List<string> Groups { get; set; } = [];
    public DateTimeOffset LastSignInAt { get; set; }
}
