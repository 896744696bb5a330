using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Microsoft.Extensions.Options;

namespace SoxAuto.Core.Engines.Athena;

/// <summary>The AWS identity a run's queries use: refreshing temporary credentials, and who they are in CloudTrail.</summary>
public sealed record RunnerIdentity(AWSCredentials Credentials, string AssumedRoleArn, string SessionName)
{
    public override string ToString() => $"{AssumedRoleArn} (session {SessionName})";
}

/// <summary>
/// Per-person AWS credentials (SoxAuto:Athena:Credentials = PerUser), through AWSSDK.SecurityToken's STS client. A person's
/// run exchanges their sign-in ID token for temporary credentials with AssumeRoleWithWebIdentity, for the role their
/// groups map to (<see cref="AthenaOptions.Roles"/>) and a session named after their subject, so CloudTrail names them.
/// A run requested by a service identity (a schedule or an API token) or a headless verb has no person token: it
/// assumes <see cref="AthenaOptions.ServiceRoleArn"/> with the server's credentials, or is refused when none is set.
/// Nothing here ever falls back to the server's own identity.
/// </summary>
public sealed partial class RunnerCredentials(IOptions<AthenaOptions> options, AwsCredentialsSource server, IPersonTokens tokens, TimeProvider clock)
{
    private AthenaOptions O => options.Value;

    /// <summary>A run requested by a service identity rather than a person: <c>schedule:&lt;name&gt;</c> or <c>token:&lt;name&gt;</c>.</summary>
    public static bool IsServiceIdentity(string requester) =>
        requester.StartsWith("schedule:", StringComparison.Ordinal) || requester.StartsWith("token:", StringComparison.Ordinal);

    /// <summary>A run requested by a headless verb, recorded as the operating-system account (<c>cli:&lt;user&gt;</c>).</summary>
    public static bool IsHeadless(string requester) => requester.StartsWith("cli:", StringComparison.Ordinal);

    /// <summary>The runner's identity, after a first successful exchange with STS.</summary>
    /// <exception cref="RunnerIdentityException">No token, no mapped role, or STS refused: the reason, for the person.</exception>
    public async Task<RunnerIdentity> ForAsync(EngineRunner runner, CancellationToken ct)
    {
        string session;
        StsSessionCredentials credentials;
        if (IsServiceIdentity(runner.Requester) || IsHeadless(runner.Requester))
        {
            var role = AthenaOptions.NullIfBlank(O.ServiceRoleArn) ?? throw new RunnerIdentityException(
                $"{runner.Requester} is not a person, and SoxAuto:Athena:Credentials is PerUser: such runs use the service role "
                + "SoxAuto:Athena:ServiceRoleArn, which is not set. An administrator sets it (docs/operations/aws-identity.md); "
                + "the run did not fall back to the server's own AWS identity.");
            session = SessionName(runner.Requester.Replace(':', '-'));
            credentials = new StsSessionCredentials(ct2 => AssumeServiceRoleAsync(role, session, ct2), clock);
        }
        else
        {
            var first = await tokens.ForRunAsync(runner, ct) ?? throw new RunnerIdentityException(
                $"SoxAuto holds no sign-in token for {runner.Requester}, so the run cannot use your own AWS identity "
                + "(SoxAuto:Athena:Credentials is PerUser). Sign in again and start the run again.");
            var role = O.Roles.FirstOrDefault(r => first.Groups.Contains(r.Group, StringComparer.OrdinalIgnoreCase))?.RoleArn
                ?? throw new RunnerIdentityException(
                    $"None of your groups ({(first.Groups.Count == 0 ? "none" : string.Join(", ", first.Groups))}) is mapped to an AWS role "
                    + "(SoxAuto:Athena:Roles), so the run cannot use your own AWS identity. Ask an administrator to map your group.");
            session = SessionName(first.Subject);
            var held = first;
            credentials = new StsSessionCredentials(async ct2 =>
            {
                // Each renewal asks for the person's current token (the first exchange uses the one just read).
                var token = held ?? await tokens.ForRunAsync(runner, ct2) ?? throw new RunnerIdentityException(
                    $"Your sign-in token for this run is no longer held (you signed out, or your sign-in ended), so its AWS "
                    + "credentials could not be renewed. Sign in again and start the run again.");
                held = null;
                return await AssumeWithWebIdentityAsync(role, session, token.IdToken, ct2);
            }, clock);
        }
        await credentials.FirstAsync(ct);
        return new RunnerIdentity(credentials, credentials.AssumedRoleArn, session);
    }

    /// <summary>"soxauto-" and the subject, as STS allows a session name: 2-64 of letters, digits and _+=,.@-.</summary>
    public static string SessionName(string subject)
    {
        var name = "soxauto-" + NotAllowedInSessionName().Replace(subject, "-");
        return name.Length <= 64 ? name : name[..64];
    }

    private async Task<StsGrant> AssumeWithWebIdentityAsync(string role, string session, string idToken, CancellationToken ct)
    {
        // AssumeRoleWithWebIdentity is not signed: the token is the proof.
        using var sts = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), O.StsConfig(O.MaxAttempts - 1));
        try
        {
            var answer = await sts.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
            {
                RoleArn = role,
                RoleSessionName = session,
                WebIdentityToken = idToken,
                DurationSeconds = (int)O.SessionDuration.TotalSeconds,
            }, ct);
            return Grant(answer.Credentials, answer.AssumedRoleUser);
        }
        catch (AmazonServiceException e)
        {
            throw Refused(e, role);
        }
        catch (Exception e) when (e is AmazonClientException or HttpRequestException)
        {
            throw new RunnerIdentityException($"AWS STS could not be reached to obtain your AWS credentials ({e.Message}). Start the run again later.", e);
        }
    }

    private async Task<StsGrant> AssumeServiceRoleAsync(string role, string session, CancellationToken ct)
    {
        try
        {
            using var sts = new AmazonSecurityTokenServiceClient(server.Resolve(), O.StsConfig(O.MaxAttempts - 1));
            var answer = await sts.AssumeRoleAsync(new AssumeRoleRequest
            {
                RoleArn = role,
                RoleSessionName = session,
                DurationSeconds = (int)O.SessionDuration.TotalSeconds,
            }, ct);
            return Grant(answer.Credentials, answer.AssumedRoleUser);
        }
        catch (AmazonServiceException e)
        {
            throw Refused(e, role);
        }
        catch (Exception e) when (e is AmazonClientException or HttpRequestException or EngineException)
        {
            throw new RunnerIdentityException($"The service role {role} could not be assumed: {e.Message}", e);
        }
    }

    private static StsGrant Grant(Amazon.SecurityToken.Model.Credentials c, AssumedRoleUser user) => new(
        new ImmutableCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken),
        (c.Expiration ?? throw new RunnerIdentityException("STS answered without an expiry for the credentials.")).ToUniversalTime(),
        user.Arn);

    /// <summary>STS's refusal in words the person can act on (the code and AWS's message are kept for the administrator).</summary>
    private static RunnerIdentityException Refused(AmazonServiceException e, string role) => new(e.ErrorCode switch
    {
        "ExpiredTokenException" or "ExpiredToken" =>
            $"Your sign-in has expired, so AWS would not issue credentials for you (STS {e.ErrorCode}: {e.Message}). Sign in again and start the run again.",
        "InvalidIdentityToken" or "IDPRejectedClaim" =>
            $"AWS did not accept your sign-in token (STS {e.ErrorCode}: {e.Message}). Ask an administrator to check the IAM identity provider for the sign-in issuer (docs/operations/aws-identity.md).",
        "AccessDenied" =>
            $"You may not assume the AWS role {role} that your groups map to (STS AccessDenied: {e.Message}). Ask an administrator to check the role's trust policy.",
        _ => $"AWS STS refused to issue credentials for the role {role}: {e.ErrorCode}: {e.Message}",
    }, e);

    [GeneratedRegex(@"[^A-Za-z0-9_+=,.@-]")]
    private static partial Regex NotAllowedInSessionName();
}
