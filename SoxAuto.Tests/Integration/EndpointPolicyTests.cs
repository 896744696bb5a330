using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>Every page and endpoint names its policy (or is deliberately open); nothing is open by omission.</summary>
public sealed class EndpointPolicyTests
{
    // The only addresses anyone may reach without signing in (besides static assets).
    private static readonly string[] OpenOnPurpose = ["signin", "Error", "auth/signin", "auth/signout", "auth/login", "healthz", "healthz/ready"];

    [Theory]
    [InlineData("Local")]
    [InlineData("Oidc")]
    public async Task Every_endpoint_names_a_policy_and_only_sign_in_error_health_probes_and_static_assets_are_anonymous(string mode)
    {
        await using var app = mode == "Local" ? SoxAutoApp.Start() : await SoxAutoApp.StartWithOidcAsync();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        var anonymous = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => !IsStaticAsset(p))
            .Distinct().Order().ToList();
        var unnamed = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any())
            .Select(e => e.RoutePattern.RawText!.TrimStart('/'))
            // The framework's own endpoints (the circuit's hub, Blazor's redirect helper, the development
            // static-file fallback) fall under the fallback policy: signed in.
            .Where(p => !p.StartsWith("_blazor", StringComparison.Ordinal) && !p.StartsWith("_framework/", StringComparison.Ordinal) && p != "{**path:file}")
            .ToList();
        var policies = endpoints.Where(e => !IsStaticAsset(e.RoutePattern.RawText!.TrimStart('/')))
            .SelectMany(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => (Path: e.RoutePattern.RawText, a.Policy)))
            .ToList();

        Assert.Empty(unnamed);
        Assert.All(anonymous, p => Assert.Contains(p, OpenOnPurpose));
        Assert.Contains(policies, p => p is { Path: "/run", Policy: "RunIpe" });
        Assert.Contains(policies, p => p is { Path: "/runs/{id:int}/evidence.xlsx", Policy: "ViewRuns" });
        Assert.Contains(policies, p => p is { Path: "/runs/{Id:int}/roll-forward", Policy: "ViewRuns" });
        Assert.Contains(policies, p => p is { Path: "/runs/{id:int}/roll-forward.xlsx", Policy: "ViewRuns" });
        Assert.Contains(policies, p => p is { Path: "/admin/sign-in", Policy: "Admin" });
        Assert.Contains(policies, p => p is { Path: "/admin/notifications", Policy: "Admin" });
        Assert.All(policies, p => Assert.False(string.IsNullOrEmpty(p.Policy), $"{p.Path} has [Authorize] without a policy"));

        // And the circuit's hub refuses anyone not signed in.
        using var anonymousClient = app.AnonymousClient();
        using var negotiate = await anonymousClient.PostAsync("/_blazor/negotiate?negotiateVersion=1", new StringContent(""));
        Assert.NotEqual(HttpStatusCode.OK, negotiate.StatusCode);
    }

    private static bool IsStaticAsset(string pattern) => Path.HasExtension(pattern) && !pattern.StartsWith("runs/", StringComparison.Ordinal);
}
