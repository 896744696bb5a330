using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SoxAuto.Web.Auth;

namespace SoxAuto.Web.Api;

/// <summary>The HTTP API's services and endpoints: the access-token scheme, the per-token rate limit,
/// the endpoints and their OpenAPI description at /openapi/v1.json.</summary>
public static class ApiRegistration
{
    public const string OpenApiDocument = "v1";

    public static WebApplicationBuilder AddSoxAutoApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, AccessTokenHandler>(AccessTokenHandler.SchemeName, null);
        builder.Services.AddRateLimiter(o => o.AddPolicy<string, ApiRateLimit>(ApiRateLimit.Policy));
        builder.Services.AddOpenApi(OpenApiDocument, o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith(ApiEndpoints.Prefix.TrimStart('/'), StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "SoxAuto API",
                    Version = OpenApiDocument,
                    Description = "Runs IPEs and fetches their evidence with an access token an admin issued. See docs/operations/api.md.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [AccessTokenHandler.SchemeName] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        Description = "An access token (soxauto_...) issued by an admin on /admin/tokens or with the `token issue` verb.",
                    },
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(AccessTokenHandler.SchemeName, document)] = [] }];
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>A refusal the framework answers without a body (a request body that is not JSON, a file of a
    /// run that is not there) gets problem details too: a program reads the API's answers, not a page.</summary>
    public static IApplicationBuilder UseSoxAutoApiProblems(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        await next(http);
        var response = http.Response;
        if (ApiEndpoints.Answers(http.Request.Path) && response.StatusCode >= 400 && !response.HasStarted
            && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
            await Results.Problem(statusCode: response.StatusCode).ExecuteAsync(http);
    });

    public static WebApplication MapSoxAutoApiAndDescription(this WebApplication app)
    {
        app.MapSoxAutoApi();
        // The description is read with a token too (any role): everything under the API answers to tokens only.
        app.MapOpenApi().RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute(Policies.SignedIn)
        {
            AuthenticationSchemes = AccessTokenHandler.SchemeName,
        }).RequireRateLimiting(ApiRateLimit.Policy);
        return app;
    }
}
