using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace SoxAuto.Core.Engines.Athena;

public sealed record ConnectionCheckStep(string Name, bool Passed, string Message);

/// <summary>
/// Checks the Athena set-up end to end, each step with a clear pass or fail: who the credentials are
/// (STS GetCallerIdentity), whether the workgroup exists (GetWorkGroup), and whether the output location
/// can be read (S3 ListObjectsV2 on the results prefix).
/// </summary>
public sealed class AthenaConnectionCheck(AthenaEngine engine, AwsCredentialsSource credentials)
{
    public async Task<IReadOnlyList<ConnectionCheckStep>> RunAsync(CancellationToken ct)
    {
        var o = engine.Options;
        var steps = new List<ConnectionCheckStep>();
        AWSCredentials creds;
        try
        {
            creds = credentials.Resolve();
        }
        catch (EngineException e)
        {
            steps.Add(new("Credentials", false, e.Message));
            return steps;
        }

        try
        {
            using var sts = new AmazonSecurityTokenServiceClient(creds, o.StsConfig(maxErrorRetry: 1));
            var me = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), ct);
            steps.Add(new("Credentials", true, $"Signed in as {me.Arn} (account {me.Account})."));
        }
        catch (AmazonServiceException e)
        {
            steps.Add(new("Credentials", false, $"STS GetCallerIdentity refused the credentials: {e.ErrorCode}: {e.Message}"));
        }
        catch (Exception e) when (e is AmazonClientException or HttpRequestException)
        {
            steps.Add(new("Credentials", false, $"STS could not be reached or no credentials were found: {e.Message}"));
        }

        string? workGroupOutput = null;
        try
        {
            var wg = await engine.Client.CallAsync("GetWorkGroup", new JsonObject { ["WorkGroup"] = o.WorkGroup }, ct);
            var state = (string?)wg["WorkGroup"]?["State"] ?? "UNKNOWN";
            workGroupOutput = (string?)wg["WorkGroup"]?["Configuration"]?["ResultConfiguration"]?["OutputLocation"];
            steps.Add(state == "ENABLED"
                ? new("Workgroup", true, $"Workgroup {o.WorkGroup} exists and is enabled.")
                : new("Workgroup", false, $"Workgroup {o.WorkGroup} exists but is {state}: queries would be refused."));
        }
        catch (AthenaApiException e)
        {
            steps.Add(new("Workgroup", false, $"Workgroup {o.WorkGroup}: {e.ErrorType}: {e.AwsMessage}"));
        }

        var output = o.EffectiveOutputLocation ?? workGroupOutput;
        if (output is null)
        {
            steps.Add(new("Output location", true,
                "No output location is configured and the workgroup names none: results are read through GetQueryResults (managed query results)."));
        }
        else if (!S3Location.TryParse(output, out var location))
        {
            steps.Add(new("Output location", false, $"'{output}' is not an s3:// location."));
        }
        else
        {
            try
            {
                await engine.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = location.Bucket, Prefix = location.Key, MaxKeys = 1 }, ct);
                steps.Add(new("Output location", true, $"{output} can be listed and read."));
            }
            catch (AmazonS3Exception e)
            {
                steps.Add(new("Output location", false, $"{output} cannot be read: {e.ErrorCode}: {e.Message}"));
            }
        }
        return steps;
    }
}
