using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SoxAuto.Core.Health;

namespace SoxAuto.Web.Endpoints;

/// <summary>
/// Probes for a load balancer or systemd: <c>/healthz</c> answers 200 while the process serves requests
/// (no check runs); <c>/healthz/ready</c> answers 200 when the database, the data folder and the engine can
/// be used, else 503. Both are anonymous (a probe has no sign-in) and say nothing a stranger could use:
/// a status and fixed sentences, never a path or an error text (those go to the log).
/// </summary>
public static class HealthEndpoints
{
    public static WebApplicationBuilder AddSoxAutoHealth(this WebApplicationBuilder builder)
    {
        // Singletons, so that the engine check's short cache is shared by every probe.
        builder.Services.AddSingleton<DatabaseReadiness>();
        builder.Services.AddSingleton<DataFolderReadiness>();
        builder.Services.AddSingleton<EngineReadiness>();
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseReadiness>("database", tags: [Readiness.Tag])
            .AddCheck<DataFolderReadiness>("data folder", tags: [Readiness.Tag])
            .AddCheck<EngineReadiness>("engine", tags: [Readiness.Tag]);
        return builder;
    }

    public static IEndpointRouteBuilder MapSoxAutoHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Readiness.Tag), ResponseWriter = WriteAsync })
            .AllowAnonymous().DisableRateLimiting();
        return app;
    }

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, Json));
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
