using System.Text.Json;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;
using SoxAuto.Web.Auth;
using SoxAuto.Web.Endpoints;

namespace SoxAuto.Web.Api;

/// <summary>
/// The HTTP API for automation, under /api/v1: the same Core services and rules as the pages (the run
/// service, the one door to a run, segregation of duties, the audit trail), reached with an access token
/// (<see cref="AccessTokenHandler"/>) and each endpoint under a named policy. Downloads are the pages' own
/// code path (<see cref="EvidenceDownloads.MapEvidenceFiles"/>).
/// </summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api/v1";
    public const string Runs = Prefix + "/runs";

    /// <summary>The API and its description: machines read these, so they never answer with a page.</summary>
    public static bool Answers(PathString path) => path.StartsWithSegments(Prefix) || path.StartsWithSegments("/openapi");

    public static IEndpointRouteBuilder MapSoxAutoApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix).WithAccessToken().RequireRateLimiting(ApiRateLimit.Policy).DisableAntiforgery().WithTags("SoxAuto");

        api.MapGet("/ipes", async (IpeCatalog catalog, CancellationToken ct) =>
                TypedResults.Ok((await catalog.ActiveAsync(ct)).Select(IpeResource.Of).ToList()))
            .RequireAuthorization(Policies.ViewRuns).WithSummary("The IPEs that can be run, each with its approved version and parameters.");

        var runs = api.MapGroup("/runs");
        runs.MapPost("", StartAsync).RequireAuthorization(Policies.RunIpe)
            .WithSummary("Starts a run (Auditor tokens). 202 with the run id and its Location; 400 names the refused field.")
            .Produces<RunResource>(StatusCodes.Status202Accepted).ProducesValidationProblem();
        runs.MapGet("/{id:int}", GetAsync).RequireAuthorization(Policies.ViewRuns)
            .WithSummary("A run: state, rows, SHA-256 of its files, checks and review. 404 for a run the token may not see.")
            .Produces<RunResource>().ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapPost("/{id:int}/cancel", CancelAsync).RequireAuthorization(Policies.ViewRuns)
            .WithSummary("Cancels a run that has not ended: the token that started it, or an Admin token.")
            .Produces(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        EvidenceDownloads.MapEvidenceFiles(runs, Policies.ViewRuns);
        return app;
    }

    /// <summary>Only the access-token scheme, on top of each endpoint's own policy: the session cookie is not
    /// consulted, so a signed-in browser cannot be made to call the API.</summary>
    private static TBuilder WithAccessToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute(Policies.SignedIn)
        {
            AuthenticationSchemes = AccessTokenHandler.SchemeName,
        });

    private static async Task<IResult> StartAsync(RunRequest? request, HttpContext http, RunService service)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Ipe) || string.IsNullOrWhiteSpace(request.Period))
            return Refused(string.IsNullOrWhiteSpace(request?.Ipe) ? "ipe" : "period",
                "Send a JSON body with the IPE and the period, e.g. {\"ipe\": \"IPE_09\", \"period\": \"2025-09\"}.");
        if (!TryReadParameters(request.Parameters, out var parameters, out var problem))
            return Refused("parameters", problem);
        var who = SignedInPerson.Of(http.User, ClientOrigin.Of(http));
        try
        {
            var run = await service.RequestAsync(request.Ipe, request.Period, parameters, who, http.RequestAborted);
            return TypedResults.Accepted($"{Runs}/{run.Id}", RunResource.Of(run, null, Runs));
        }
        catch (RunRequestException e)
        {
            return Refused(e.Field ?? "request", e.Message);
        }
    }

    private static async Task<IResult> GetAsync(int id, HttpContext http, RunAccess access, ReviewService reviews)
    {
        var run = await access.OpenAsync(id, SignedInPerson.Of(http.User, ClientOrigin.Of(http)), http.Request.Path, http.RequestAborted);
        return run is null ? NoRun(id) : TypedResults.Ok(RunResource.Of(run, await reviews.SignOffOfAsync(id, http.RequestAborted), Runs));
    }

    private static async Task<IResult> CancelAsync(int id, HttpContext http, RunAccess access, RunService service)
    {
        var who = SignedInPerson.Of(http.User, ClientOrigin.Of(http));
        // Through the one door first: a run this token may not see answers as a missing one.
        if (await access.OpenAsync(id, who, http.Request.Path, http.RequestAborted) is null) return NoRun(id);
        try
        {
            await service.CancelAsync(id, who, http.RequestAborted);
            return TypedResults.Accepted($"{Runs}/{id}");
        }
        catch (SegregationOfDutiesException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Cancel refused", detail: e.Message);
        }
        catch (RunRequestException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Cancel refused", detail: e.Message);
        }
    }

    /// <summary>Parameter values as the run service takes them: a string, a number or true/false as written,
    /// an array of strings as a comma-separated list.</summary>
    private static bool TryReadParameters(Dictionary<string, JsonElement>? given, out Dictionary<string, string> parameters, out string problem)
    {
        parameters = [];
        problem = "";
        foreach (var (name, value) in given ?? [])
        {
            string? text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                JsonValueKind.Array when value.EnumerateArray().All(i => i.ValueKind == JsonValueKind.String) =>
                    string.Join(",", value.EnumerateArray().Select(i => i.GetString())),
                _ => null,
            };
            if (text is null)
            {
                problem = $"Parameter {name} must be a string (or, for a list, an array of strings).";
                return false;
            }
            parameters[name] = text;
        }
        return true;
    }

    private static IResult Refused(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: "The run was not started");

    private static IResult NoRun(int id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such run", detail: $"There is no run {id} that this token may see.");
}
