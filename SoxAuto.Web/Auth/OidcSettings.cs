namespace SoxAuto.Web.Auth;

/// <summary>Single sign-on through an OpenID Connect provider (Okta), section
/// <c>SoxAuto:Auth:Oidc</c>. The client secret comes from the environment or user secrets, never
/// from a committed file. See docs/operations/okta.md.</summary>
public sealed class OidcSettings
{
    public const string Section = "SoxAuto:Auth:Oidc";

    /// <summary>The issuer, e.g. https://example.okta.com/oauth2/default. Setting it turns OIDC on.</summary>
    public string Authority { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";

    /// <summary>Space-separated scopes requested at sign-in.</summary>
    public string Scopes { get; set; } = "openid profile email groups";

    /// <summary>The ID-token claim that lists the person's groups.</summary>
    public string GroupsClaim { get; set; } = "groups";

    /// <summary>The ID-token claim shown as the person's name and recorded on runs and in the audit trail.</summary>
    public string NameClaim { get; set; } = "name";

    /// <summary>Group name -> SoxAuto role (Auditor, Reviewer, Admin). Several groups, several roles.</summary>
    public Dictionary<string, string> RoleMapping { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Only for a test provider on this machine: allows an http authority.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    private static readonly string[] KnownRoles = [Roles.Auditor, Roles.Reviewer, Roles.Admin];

    /// <summary>The SoxAuto roles that a person's groups map to.</summary>
    public IReadOnlyList<string> RolesFor(IEnumerable<string> groups) =>
        groups.Select(g => RoleMapping.TryGetValue(g, out var role) ? role : null)
            .OfType<string>()
            .Select(r => KnownRoles.First(k => string.Equals(k, r.Trim(), StringComparison.OrdinalIgnoreCase)))
            .Distinct()
            .ToList();

    /// <summary>Every problem with these settings, each naming its key; empty when usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority))
            problems.Add($"{Section}:Authority must be the provider's issuer URL.");
        else if (authority.Scheme != Uri.UriSchemeHttps && RequireHttpsMetadata)
            problems.Add($"{Section}:Authority must use https.");
        if (string.IsNullOrWhiteSpace(ClientId))
            problems.Add($"{Section}:ClientId is missing.");
        if (string.IsNullOrWhiteSpace(ClientSecret))
            problems.Add($"{Section}:ClientSecret is missing (give it through the environment, e.g. SoxAuto__Auth__Oidc__ClientSecret, or user secrets).");
        if (!ScopeList.Contains("openid"))
            problems.Add($"{Section}:Scopes must include openid.");
        if (string.IsNullOrWhiteSpace(GroupsClaim))
            problems.Add($"{Section}:GroupsClaim is missing.");
        if (RoleMapping.Count == 0)
            problems.Add($"{Section}:RoleMapping is empty, so nobody would hold a role (e.g. {Section}:RoleMapping:sox-auditors = Auditor).");
        foreach (var (group, role) in RoleMapping)
            if (!KnownRoles.Contains(role?.Trim(), StringComparer.OrdinalIgnoreCase))
                problems.Add($"{Section}:RoleMapping:{group} = '{role}' is not a role; use Auditor, Reviewer or Admin.");
        return problems;
    }

    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
