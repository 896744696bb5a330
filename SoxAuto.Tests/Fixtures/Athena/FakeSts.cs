using System.Collections.Concurrent;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace SoxAuto.Tests.Fixtures.Athena;

/// <summary>
/// AWS STS as its published Query API defines it (Version 2011-06-15: a form-encoded POST, an XML answer in the
/// https://sts.amazonaws.com/doc/2011-06-15/ namespace, errors as an ErrorResponse): AssumeRoleWithWebIdentity (unsigned;
/// the token's expiry, audience and the role's trust condition on the groups claim are checked, as a role's trust
/// policy would), AssumeRole and GetCallerIdentity (SigV4-signed). The temporary credentials it issues are accepted
/// by the emulator's Athena only with their session token and only until they expire, as AWS does. Checked against
/// boto3's own STS client (<c>StsConformanceTests</c>). The token's signature is not verified: AWS checks it against the
/// identity provider's keys, which IAM holds, not SoxAuto.
/// </summary>
public sealed partial class FakeSts
{
    public const string Namespace = "https://sts.amazonaws.com/doc/2011-06-15/";
    public const string Audience = "soxauto-tests";

    private readonly ConcurrentDictionary<string, Issued> _issued = new(StringComparer.Ordinal);

    /// <summary>Role ARN -> the group a web identity must carry to assume it (the trust policy's condition).</summary>
    public ConcurrentDictionary<string, string> RoleGroups { get; } = new(StringComparer.Ordinal);

    /// <summary>Roles the emulator's long-term key may assume with AssumeRole (the service role).</summary>
    public ConcurrentDictionary<string, bool> AssumableRoles { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, credentials last this long instead of DurationSeconds (to see renewals in a test's time).</summary>
    public TimeSpan? Lifetime { get; set; }

    /// <summary>Every accepted or refused call, in order.</summary>
    public ConcurrentQueue<StsCall> Calls { get; } = new();

    /// <summary>One call: <see cref="At"/> when it came, <see cref="Expires"/> when the credentials it issued expire.</summary>
    public sealed record StsCall(string Action, string? RoleArn, string? SessionName, string? Subject, string? Token, string? Error)
    {
        public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
        public DateTimeOffset? Expires { get; init; }
        /// <summary>The access key of the temporary credentials it issued.</summary>
        public string? AccessKey { get; init; }
    }

    private sealed record Issued(string Secret, string SessionToken, DateTimeOffset Expires, string Arn);

    /// <summary>The assumed-role ARN of temporary credentials, or null for a key it did not issue.</summary>
    public string? ArnOf(string accessKey) => _issued.TryGetValue(accessKey, out var i) ? i.Arn : null;

    /// <summary>The long-term secrets plus every issued temporary key's secret, for the signature check.</summary>
    public Dictionary<string, string> Secrets(IReadOnlyDictionary<string, string> longTerm)
    {
        var all = new Dictionary<string, string>(longTerm);
        foreach (var (key, issued) in _issued) all[key] = issued.Secret;
        return all;
    }

    /// <summary>AWS's answer to a request signed with temporary credentials that lacks their session token or is
    /// past their expiry; null when the request's key is not temporary or is used rightly.</summary>
    public (int Status, string Type, string Message)? TemporaryKeyRefusal(HttpRequest request, DateTimeOffset now)
    {
        var key = AccessKeyOf(request);
        if (key is null || !_issued.TryGetValue(key, out var issued)) return null;
        if (request.Headers["X-Amz-Security-Token"].ToString() != issued.SessionToken)
            return (403, "UnrecognizedClientException", "The security token included in the request is invalid.");
        if (now >= issued.Expires)
            return (400, "ExpiredTokenException", "The security token included in the request is expired");
        return null;
    }

    /// <summary>The access key a SigV4 request was signed with.</summary>
    public static string? AccessKeyOf(HttpRequest request)
    {
        var match = CredentialPattern().Match(request.Headers.Authorization.ToString());
        return match.Success ? match.Groups[1].Value : null;
    }

    public async Task HandleAsync(HttpContext ctx, byte[] body, IReadOnlyDictionary<string, string> longTerm)
    {
        var form = Form(Encoding.UTF8.GetString(body));
        var action = form.GetValueOrDefault("Action") ?? "";
        ctx.Response.ContentType = "text/xml";
        try
        {
            if (form.GetValueOrDefault("Version") != "2011-06-15")
                throw new StsError(400, "InvalidAction", "Could not find operation " + action + " for version " + form.GetValueOrDefault("Version"));
            var result = action switch
            {
                "AssumeRoleWithWebIdentity" => AssumeRoleWithWebIdentity(form),
                "AssumeRole" => AssumeRole(Signed(ctx, body, longTerm), form),
                "GetCallerIdentity" => GetCallerIdentity(Signed(ctx, body, longTerm)),
                _ => throw new StsError(400, "InvalidAction", $"Could not find operation {action} for version 2011-06-15"),
            };
            await ctx.Response.WriteAsync(
                $"<{action}Response xmlns=\"{Namespace}\"><{action}Result>{result}</{action}Result>"
                + $"<ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata></{action}Response>");
        }
        catch (StsError e)
        {
            Calls.Enqueue(new(action, form.GetValueOrDefault("RoleArn"), form.GetValueOrDefault("RoleSessionName"), null,
                form.GetValueOrDefault("WebIdentityToken"), e.Code));
            ctx.Response.StatusCode = e.Status;
            await ctx.Response.WriteAsync(
                $"<ErrorResponse xmlns=\"{Namespace}\"><Error><Type>Sender</Type><Code>{e.Code}</Code>"
                + $"<Message>{SecurityElement.Escape(e.Message)}</Message></Error><RequestId>{Guid.NewGuid()}</RequestId></ErrorResponse>");
        }
    }

    private string AssumeRoleWithWebIdentity(Dictionary<string, string> form)
    {
        var (role, session, duration) = Validate(form);
        var token = form.GetValueOrDefault("WebIdentityToken");
        if (token is null || token.Length is < 4 or > 20000)
            throw new StsError(400, "ValidationError", "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length between 4 and 20000");
        var claims = Claims(token) ?? throw new StsError(400, "InvalidIdentityToken",
            "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
        var now = DateTimeOffset.UtcNow;
        if ((long?)claims["exp"] is not { } exp || DateTimeOffset.FromUnixTimeSeconds(exp) <= now)
            throw new StsError(400, "ExpiredTokenException",
                $"Token expired: current date/time {now:yyyy-MM-ddTHH:mm:ssZ} must be before the expiration date/time {DateTimeOffset.FromUnixTimeSeconds((long?)claims["exp"] ?? 0):yyyy-MM-ddTHH:mm:ssZ}");
        var audiences = claims["aud"] is JsonArray many ? many.Select(a => (string?)a).ToList() : [(string?)claims["aud"]];
        if (!audiences.Contains(Audience))
            throw new StsError(400, "InvalidIdentityToken", "Incorrect token audience");
        var groups = claims["groups"] is JsonArray g ? g.Select(x => (string?)x).ToList() : [];
        if (!RoleGroups.TryGetValue(role, out var needed) || !groups.Contains(needed))
            throw new StsError(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
        var subject = (string?)claims["sub"] ?? "";
        var (grant, expires, key) = Grant(role, session, duration);
        Calls.Enqueue(new("AssumeRoleWithWebIdentity", role, session, subject, token, null) { At = now, Expires = expires, AccessKey = key });
        return $"<SubjectFromWebIdentityToken>{SecurityElement.Escape(subject)}</SubjectFromWebIdentityToken>"
            + $"<Audience>{Audience}</Audience>" + grant
            + $"<Provider>{SecurityElement.Escape((string?)claims["iss"] ?? "")}</Provider>";
    }

    private string AssumeRole(string caller, Dictionary<string, string> form)
    {
        var (role, session, duration) = Validate(form);
        if (!AssumableRoles.ContainsKey(role))
            throw new StsError(403, "AccessDenied", $"User: {caller} is not authorized to perform: sts:AssumeRole on resource: {role}");
        var (grant, expires, key) = Grant(role, session, duration);
        Calls.Enqueue(new("AssumeRole", role, session, null, null, null) { Expires = expires, AccessKey = key });
        return grant;
    }

    private string GetCallerIdentity(string caller)
    {
        Calls.Enqueue(new("GetCallerIdentity", null, null, null, null, null));
        return $"<Arn>{caller}</Arn><UserId>AIDASOXAUTOTESTS</UserId><Account>{AthenaEmulator.Account}</Account>";
    }

    /// <summary>The caller's ARN once its signature (long-term or temporary key) checks out.</summary>
    private string Signed(HttpContext ctx, byte[] body, IReadOnlyDictionary<string, string> longTerm)
    {
        var now = DateTimeOffset.UtcNow;
        if ((SigV4Verifier.Verify(ctx.Request, body, "sts", Secrets(longTerm), now) ?? TemporaryKeyRefusal(ctx.Request, now)) is { } refused)
            throw new StsError(refused.Status, refused.Type switch
            {
                "InvalidSignatureException" => "SignatureDoesNotMatch",
                "ExpiredTokenException" => "ExpiredToken",
                _ => "InvalidClientTokenId",
            }, refused.Message);
        return ArnOf(AccessKeyOf(ctx.Request)!) ?? AthenaEmulator.CallerArn;
    }

    private static (string Role, string Session, int Duration) Validate(Dictionary<string, string> form)
    {
        var role = form.GetValueOrDefault("RoleArn") ?? "";
        var session = form.GetValueOrDefault("RoleSessionName") ?? "";
        var problems = new List<string>();
        if (role.Length is < 20 or > 2048) problems.Add($"Value '{role}' at 'roleArn' failed to satisfy constraint: Member must have length between 20 and 2048");
        if (!SessionNamePattern().IsMatch(session))
            problems.Add($"Value '{session}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and length between 2 and 64");
        var duration = 3600;
        if (form.TryGetValue("DurationSeconds", out var d) && (!int.TryParse(d, out duration) || duration is < 900 or > 43200))
            problems.Add($"Value '{d}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200");
        if (problems.Count > 0)
            throw new StsError(400, "ValidationError", $"{problems.Count} validation error{(problems.Count == 1 ? "" : "s")} detected: {string.Join("; ", problems)}");
        return (role, session, duration);
    }

    private (string Xml, DateTimeOffset Expires, string AccessKey) Grant(string role, string session, int duration)
    {
        var key = "ASIA" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30));
        var sessionToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        var expires = DateTimeOffset.UtcNow + (Lifetime ?? TimeSpan.FromSeconds(duration));
        var roleName = role[(role.LastIndexOf('/') + 1)..];
        var arn = $"arn:aws:sts::{AthenaEmulator.Account}:assumed-role/{roleName}/{session}";
        _issued[key] = new Issued(secret, sessionToken, expires, arn);
        return ($"<AssumedRoleUser><AssumedRoleId>AROASOXAUTOTESTS:{session}</AssumedRoleId><Arn>{arn}</Arn></AssumedRoleUser>"
            + $"<Credentials><AccessKeyId>{key}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey>"
            + $"<SessionToken>{sessionToken}</SessionToken><Expiration>{expires.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}</Expiration></Credentials>", expires, key);
    }

    /// <summary>The claims of a JWT (header.payload.signature, base64url), or null when it is not one.</summary>
    public static JsonObject? Claims(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            return JsonNode.Parse(Convert.FromBase64String(payload)) as JsonObject;
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>A JWT with these claims (the signature part is not a real signature: see the class comment).</summary>
    public static string Token(string subject, IEnumerable<string> groups, DateTimeOffset expires, string audience = Audience)
    {
        static string B64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var claims = new JsonObject
        {
            ["iss"] = "https://idp.example.test/oauth2/default",
            ["sub"] = subject,
            ["aud"] = audience,
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["groups"] = new JsonArray(groups.Select(g => (JsonNode)g).ToArray()),
        };
        return $"{B64("""{"alg":"RS256","typ":"JWT"}""")}.{B64(claims.ToJsonString())}.{B64(Guid.NewGuid().ToString())}";
    }

    private static Dictionary<string, string> Form(string body) => body.Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(p => p.Split('=', 2))
        .GroupBy(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')))
        .ToDictionary(g => g.Key, g => Uri.UnescapeDataString((g.First().Length > 1 ? g.First()[1] : "").Replace('+', ' ')));

    private sealed class StsError(int status, string code, string message) : Exception(message)
    {
        public int Status { get; } = status;
        public string Code { get; } = code;
    }

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$")]
    private static partial Regex SessionNamePattern();

    [GeneratedRegex(@"Credential=([^/,\s]+)/")]
    private static partial Regex CredentialPattern();
}
