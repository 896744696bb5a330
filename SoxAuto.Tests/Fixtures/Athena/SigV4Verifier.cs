using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace SoxAuto.Tests.Fixtures.Athena;

/// <summary>
/// Checks an AWS Signature Version 4 header the way AWS does, written from the published algorithm (not from
/// the SDK that signs): canonical request, string to sign, derived key, HMAC. Returns null when the signature
/// is good, else the AWS error type and message to answer with.
/// </summary>
internal static class SigV4Verifier
{
    public static (int Status, string Type, string Message)? Verify(
        HttpRequest request, byte[] body, string service, IReadOnlyDictionary<string, string> secrets, DateTimeOffset now)
    {
        var auth = request.Headers.Authorization.ToString();
        const string Algorithm = "AWS4-HMAC-SHA256";
        if (string.IsNullOrEmpty(auth))
            return (403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        if (!auth.StartsWith(Algorithm + " ", StringComparison.Ordinal))
            return (403, "IncompleteSignatureException", "Unsupported signing algorithm.");
        var parts = auth[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedHeaders)
            || !parts.TryGetValue("Signature", out var signature))
            return (403, "IncompleteSignatureException", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'.");
        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
            return (403, "IncompleteSignatureException", $"Credential is malformed: {credential}");
        var (accessKey, date, region, scopeService) = (scope[0], scope[1], scope[2], scope[3]);
        if (!secrets.TryGetValue(accessKey, out var secret))
            return (403, "UnrecognizedClientException", "The security token included in the request is invalid.");
        if (scopeService != service)
            return (403, "InvalidSignatureException", $"Credential should be scoped to correct service: '{service}'.");
        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
            return (403, "IncompleteSignatureException", "X-Amz-Date is missing or malformed.");
        if (Math.Abs((now - signedAt).TotalMinutes) > 15)
            return (403, "InvalidSignatureException", "Signature expired: the request time is more than 15 minutes from the server time.");
        if (!amzDate.StartsWith(date, StringComparison.Ordinal))
            return (403, "InvalidSignatureException", "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.");
        var headerNames = signedHeaders.Split(';');
        if (!headerNames.Contains("host"))
            return (403, "InvalidSignatureException", "'Host' must be a signed header.");

        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var declared = request.Headers["X-Amz-Content-Sha256"].ToString();
        if (declared.Length > 0 && declared != payloadHash)
            return (400, "InvalidSignatureException", "The provided 'x-amz-content-sha256' header does not match what was computed.");

        var canonical = new StringBuilder();
        canonical.Append(request.Method).Append('\n');
        canonical.Append(CanonicalPath(request.Path.HasValue ? request.Path.Value! : "/")).Append('\n');
        canonical.Append(CanonicalQuery(request.QueryString.Value)).Append('\n');
        foreach (var name in headerNames)
        {
            var value = name == "host" ? request.Host.Value ?? "" : string.Join(",", request.Headers[name].Select(v => v ?? ""));
            canonical.Append(name).Append(':').Append(CollapseSpaces(value.Trim())).Append('\n');
        }
        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);

        var credentialScope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{credentialScope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var expected = Hex(Hmac(key, stringToSign));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
            return (403, "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        return null;
    }

    private static string CanonicalPath(string path) =>
        string.Join('/', path.Split('/').Select(s => Uri.EscapeDataString(Uri.UnescapeDataString(s))));

    private static string CanonicalQuery(string? query)
    {
        if (string.IsNullOrEmpty(query) || query == "?") return "";
        return string.Join('&', query.TrimStart('?').Split('&')
            .Select(p => p.Split('=', 2))
            .Select(p => (Uri.EscapeDataString(Uri.UnescapeDataString(p[0])), Uri.EscapeDataString(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
            .OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2, StringComparer.Ordinal)
            .Select(p => p.Item1 + "=" + p.Item2));
    }

    private static string CollapseSpaces(string s)
    {
        var sb = new StringBuilder(s.Length);
        var space = false;
        foreach (var c in s)
        {
            if (c == ' ') { if (!space) sb.Append(c); space = true; }
            else { sb.Append(c); space = false; }
        }
        return sb.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
