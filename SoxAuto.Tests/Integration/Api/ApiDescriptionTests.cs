using System.Net;
using System.Text.Json;
using SoxAuto.Core.Tokens;
using static SoxAuto.Tests.Integration.Api.ApiClient;

namespace SoxAuto.Tests.Integration.Api;

/// <summary>The OpenAPI description at /openapi/v1.json, as a client generator reads it.</summary>
public sealed class ApiDescriptionTests
{
    [Fact]
    public async Task The_OpenAPI_description_parses_and_lists_every_endpoint_and_the_bearer_scheme_and_nothing_of_the_pages()
    {
        await using var app = Start();
        using (var anonymous = With(app, null))
        using (var refused = await anonymous.GetAsync("openapi/v1.json"))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var client = With(app, await IssueAsync(app, "generator", TokenScope.Reviewer));

        using var response = await client.GetAsync("openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        Assert.StartsWith("3.", root.GetProperty("openapi").GetString());
        var paths = root.GetProperty("paths").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateObject().Select(o => o.Name).ToHashSet());
        Assert.Equal(
            new Dictionary<string, HashSet<string>>
            {
                ["/api/v1/ipes"] = ["get"],
                ["/api/v1/runs"] = ["post"],
                ["/api/v1/runs/{id}"] = ["get"],
                ["/api/v1/runs/{id}/cancel"] = ["post"],
                ["/api/v1/runs/{id}/evidence.xlsx"] = ["get"],
                ["/api/v1/runs/{id}/extract.csv"] = ["get"],
                ["/api/v1/runs/{id}/package.zip"] = ["get"],
            }.OrderBy(p => p.Key).Select(p => (p.Key, string.Join(",", p.Value.Order()))),
            paths.OrderBy(p => p.Key).Select(p => (p.Key, string.Join(",", p.Value.Order()))));
        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("AccessToken");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        Assert.True(root.GetProperty("security")[0].TryGetProperty("AccessToken", out _));
        Assert.True(root.GetProperty("paths").GetProperty("/api/v1/runs").GetProperty("post").GetProperty("responses").TryGetProperty("202", out _));
    }
}
