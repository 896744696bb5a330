using SoxAuto.Core.Review;
using SoxAuto.Web.Auth;

namespace SoxAuto.Web.Endpoints;

/// <summary>What a sign-off request carries: Approved or Rejected, the comment, and the justification
/// needed to approve a run whose checks did not all pass.</summary>
public sealed record SignOffRequest(SignOffDecision Decision, string? Comment, string? Justification);

/// <summary>
/// <c>POST /runs/{id}/signoff</c> with a JSON <see cref="SignOffRequest"/>: the same sign-off as the review
/// page, for tools. Reviewers only (<see cref="Policies.SignOff"/>); the service refuses the person who
/// ran the run (403 with the reason), a decision already taken or a missing comment or justification
/// (409 / 400 with the reason). A JSON body cannot be posted across sites without CORS, which SoxAuto does
/// not allow, so the cookie alone cannot be used by another site.
/// </summary>
public static class SignOffEndpoint
{
    public static IEndpointRouteBuilder MapSignOff(this IEndpointRouteBuilder app)
    {
        app.MapPost("/runs/{id:int}/signoff", async (int id, SignOffRequest request, HttpContext http, ReviewService reviews) =>
        {
            var who = SignedInPerson.Of(http.User, ClientOrigin.Of(http));
            try
            {
                var signOff = await reviews.SignOffAsync(id, request.Decision, request.Comment, request.Justification, who, http.RequestAborted);
                return Results.Ok(new { signOff.RunId, signOff.Decision, signOff.By, signOff.At, signOff.Comment, signOff.Justification, signOff.Files });
            }
            catch (SegregationOfDutiesException e)
            {
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Sign-off refused", detail: e.Message);
            }
            catch (ReviewException e)
            {
                return e.Reason == ReviewRefusal.NoSuchRun ? Results.NotFound()
                    : Results.Problem(statusCode: e.Reason == ReviewRefusal.AlreadyDecided ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest,
                        title: "Sign-off not recorded", detail: e.Message);
            }
        }).RequireAuthorization(Policies.SignOff).DisableAntiforgery();
        return app;
    }
}
