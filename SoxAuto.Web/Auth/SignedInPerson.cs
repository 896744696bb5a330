using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using SoxAuto.Core.Runs;

namespace SoxAuto.Web.Auth;

/// <summary>The person using this page, as Core needs to know them (an <see cref="Actor"/>).</summary>
public sealed class SignedInPerson(AuthenticationStateProvider authentication, ClientOrigin origin)
{
    public async Task<ClaimsPrincipal> UserAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    public async Task<Actor> ActorAsync()
    {
        var user = await UserAsync();
        var name = user.Identity?.IsAuthenticated == true ? user.Identity.Name : null;
        if (string.IsNullOrWhiteSpace(name))
            throw new UnauthorizedAccessException("You are not signed in.");
        return new Actor(name, origin.Address ?? "unknown", user.IsInRole(Roles.Admin));
    }
}
