using System.Text.Json.Nodes;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Tests.Fixtures.Athena;

namespace SoxAuto.Tests.Core.Engines.Athena;

/// <summary>
/// Proves the fake STS speaks AWS's published STS Query API: boto3's own STS client (AWS's model, parser and signer)
/// exchanges a web identity token, gets AWS's error codes for an expired token, a wrong audience, a role the token's
/// groups may not assume and a bad session name, assumes a role with a signed request, and the temporary credentials
/// it gets work on Athena only with their session token.
/// </summary>
public sealed class StsConformanceTests
{
    private const string AuditorRole = "arn:aws:iam::111122223333:role/soxauto-auditor-readonly";
    private const string ReviewerRole = "arn:aws:iam::111122223333:role/soxauto-reviewer";
    private const string ServiceRole = "arn:aws:iam::111122223333:role/soxauto-service";

    private const string Script = """
        import json, sys
        import boto3
        from botocore.config import Config
        from botocore.exceptions import ClientError

        endpoint, workgroup, token, expired, wrong_audience, auditor, reviewer, service = sys.argv[1:9]
        config = Config(retries={"max_attempts": 1, "mode": "standard"})
        def client(service_name, **keys):
            return boto3.client(service_name, endpoint_url=endpoint, region_name="eu-west-1", config=config, **keys)
        def code(call):
            try:
                call()
                return "accepted"
            except ClientError as e:
                return [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]

        sts = client("sts")
        out = {}
        r = sts.assume_role_with_web_identity(RoleArn=auditor, RoleSessionName="soxauto-00u-ada", WebIdentityToken=token, DurationSeconds=900)
        c = r["Credentials"]
        out["arn"] = r["AssumedRoleUser"]["Arn"]
        out["subject"] = r["SubjectFromWebIdentityToken"]
        out["audience"] = r["Audience"]
        out["expiration_is_datetime"] = hasattr(c["Expiration"], "isoformat")
        out["key_prefix"] = c["AccessKeyId"][:4]
        temp = dict(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
        out["workgroup"] = client("athena", **temp).get_work_group(WorkGroup=workgroup)["WorkGroup"]["Name"]
        out["caller"] = client("sts", **temp).get_caller_identity()["Arn"]
        out["without_session_token"] = code(lambda: client("athena", aws_access_key_id=c["AccessKeyId"],
            aws_secret_access_key=c["SecretAccessKey"]).get_work_group(WorkGroup=workgroup))
        out["expired"] = code(lambda: sts.assume_role_with_web_identity(RoleArn=auditor, RoleSessionName="soxauto-00u-ada", WebIdentityToken=expired))
        out["wrong_audience"] = code(lambda: sts.assume_role_with_web_identity(RoleArn=auditor, RoleSessionName="soxauto-00u-ada", WebIdentityToken=wrong_audience))
        out["not_trusted"] = code(lambda: sts.assume_role_with_web_identity(RoleArn=reviewer, RoleSessionName="soxauto-00u-ada", WebIdentityToken=token))
        out["bad_session_name"] = code(lambda: sts.assume_role_with_web_identity(RoleArn=auditor, RoleSessionName="has space", WebIdentityToken=token))
        out["service_arn"] = sts.assume_role(RoleArn=service, RoleSessionName="soxauto-schedule-nightly")["AssumedRoleUser"]["Arn"]
        out["service_denied"] = code(lambda: sts.assume_role(RoleArn=auditor, RoleSessionName="soxauto-schedule-nightly"))
        print(json.dumps(out))
        """;

    [Fact]
    public async Task Boto3s_STS_client_exchanges_a_web_identity_and_gets_AWSs_errors_from_the_fake_STS()
    {
        await using var emulator = await AthenaEmulator.StartAsync();
        emulator.Sts.RoleGroups[AuditorRole] = "sox-auditors";
        emulator.Sts.RoleGroups[ReviewerRole] = "sox-reviewers";
        emulator.Sts.AssumableRoles[ServiceRole] = true;
        var hour = DateTimeOffset.UtcNow.AddHours(1);
        var script = Path.Combine(Path.GetTempPath(), $"soxauto-boto3-sts-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, Script);
        try
        {
            var (exit, stdout, stderr) = await ChildProcess.RunAsync("python3",
                [script, emulator.Endpoint, AthenaEmulator.WorkGroup,
                    FakeSts.Token("00u-ada", ["sox-auditors"], hour),
                    FakeSts.Token("00u-ada", ["sox-auditors"], DateTimeOffset.UtcNow.AddMinutes(-1)),
                    FakeSts.Token("00u-ada", ["sox-auditors"], hour, audience: "another-app"),
                    AuditorRole, ReviewerRole, ServiceRole],
                environment: ChildProcess.AwsEnvironment(AthenaEmulator.AccessKey, AthenaEmulator.SecretKey),
                timeout: TimeSpan.FromSeconds(120));
            Assert.True(exit == 0, $"python3 exited {exit}: {stderr}");
            var answer = JsonNode.Parse(stdout)!;

            Assert.Equal("arn:aws:sts::111122223333:assumed-role/soxauto-auditor-readonly/soxauto-00u-ada", (string?)answer["arn"]);
            Assert.Equal("00u-ada", (string?)answer["subject"]);
            Assert.Equal(FakeSts.Audience, (string?)answer["audience"]);
            Assert.True((bool)answer["expiration_is_datetime"]!);
            Assert.Equal("ASIA", (string?)answer["key_prefix"]);
            Assert.Equal(AthenaEmulator.WorkGroup, (string?)answer["workgroup"]);
            Assert.Equal((string?)answer["arn"], (string?)answer["caller"]);
            Assert.Equal("""["UnrecognizedClientException",403]""", answer["without_session_token"]!.ToJsonString());
            Assert.Equal("""["ExpiredTokenException",400]""", answer["expired"]!.ToJsonString());
            Assert.Equal("""["InvalidIdentityToken",400]""", answer["wrong_audience"]!.ToJsonString());
            Assert.Equal("""["AccessDenied",403]""", answer["not_trusted"]!.ToJsonString());
            Assert.Equal("""["ValidationError",400]""", answer["bad_session_name"]!.ToJsonString());
            Assert.Equal("arn:aws:sts::111122223333:assumed-role/soxauto-service/soxauto-schedule-nightly", (string?)answer["service_arn"]);
            Assert.Equal("""["AccessDenied",403]""", answer["service_denied"]!.ToJsonString());
        }
        finally
        {
            File.Delete(script);
        }
    }
}
