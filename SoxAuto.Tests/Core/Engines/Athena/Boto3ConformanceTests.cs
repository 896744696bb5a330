using System.Text.Json.Nodes;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Tests.Fixtures.Athena;

namespace SoxAuto.Tests.Core.Engines.Athena;

/// <summary>
/// Proves the emulator speaks Athena's real protocol: boto3's Athena client (AWS's own model, AWS's own signer)
/// drives it through start, poll, paged results and stop, and gets AWS's error for a bad signature.
/// </summary>
public sealed class Boto3ConformanceTests : IClassFixture<DemoLakeFixture>
{
    private const string Script = """
        import json, sys, time
        import boto3
        from botocore.config import Config
        from botocore.exceptions import ClientError

        endpoint, output, workgroup, access_key = sys.argv[1:5]
        config = Config(retries={"max_attempts": 1, "mode": "standard"})
        athena = boto3.client("athena", endpoint_url=endpoint, region_name="eu-west-1", config=config)
        out = {}

        def wait(qid, until=("SUCCEEDED", "FAILED", "CANCELLED")):
            states = []
            while True:
                q = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
                state = q["Status"]["State"]
                if not states or states[-1] != state:
                    states.append(state)
                if state in until:
                    return q, states
                time.sleep(0.05)

        qid = athena.start_query_execution(
            QueryString="SELECT n, s FROM (VALUES (1, 'a,\"b\"'), (2, NULL), (3, '')) t(n, s) ORDER BY n",
            QueryExecutionContext={"Database": "process_pg_bob", "Catalog": "AwsDataCatalog"},
            ResultConfiguration={"OutputLocation": output},
            WorkGroup=workgroup)["QueryExecutionId"]
        q, states = wait(qid)
        out["states"] = states
        out["submitted_is_datetime"] = hasattr(q["Status"]["SubmissionDateTime"], "isoformat")
        out["output_location"] = q["ResultConfiguration"]["OutputLocation"]
        out["scanned"] = q["Statistics"]["DataScannedInBytes"]
        out["engine_version"] = q["EngineVersion"]["EffectiveEngineVersion"]
        rows, columns, pages = [], None, 0
        for page in athena.get_paginator("get_query_results").paginate(QueryExecutionId=qid, PaginationConfig={"PageSize": 2}):
            pages += 1
            columns = columns or [[c["Name"], c["Type"]] for c in page["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]]
            rows += [[d.get("VarCharValue") for d in r["Data"]] for r in page["ResultSet"]["Rows"]]
        out["columns"], out["rows"], out["pages"] = columns, rows, pages

        qid2 = athena.start_query_execution(
            QueryString="SELECT sum(hash(range)) AS h FROM range(1000000000000)",
            QueryExecutionContext={"Database": "process_pg_bob"}, WorkGroup=workgroup)["QueryExecutionId"]
        wait(qid2, until=("RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"))
        athena.stop_query_execution(QueryExecutionId=qid2)
        q2, _ = wait(qid2)
        out["stopped"] = q2["Status"]["State"]

        try:
            athena.get_query_execution(QueryExecutionId="00000000-0000-0000-0000-000000000000")
        except ClientError as e:
            out["unknown"] = e.response["Error"]["Code"]

        try:
            athena.start_query_execution(QueryString="SELECT 1", ClientRequestToken="too-short", WorkGroup=workgroup)
        except Exception as e:
            out["short_token"] = type(e).__name__

        bad = boto3.client("athena", endpoint_url=endpoint, region_name="eu-west-1", config=config,
                           aws_access_key_id=access_key, aws_secret_access_key="not-the-secret")
        try:
            bad.get_query_execution(QueryExecutionId=qid)
            out["bad_signature"] = "accepted"
        except ClientError as e:
            out["bad_signature"] = e.response["Error"]["Code"]
            out["bad_signature_status"] = e.response["ResponseMetadata"]["HTTPStatusCode"]
        print(json.dumps(out))
        """;

    [Fact]
    public async Task Boto3s_Athena_client_runs_a_full_start_poll_results_stop_cycle_against_the_emulator()
    {
        await using var emulator = await AthenaEmulator.StartAsync();
        var script = Path.Combine(Path.GetTempPath(), $"soxauto-boto3-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, Script);
        try
        {
            var (exit, stdout, stderr) = await ChildProcess.RunAsync("python3",
                [script, emulator.Endpoint, emulator.OutputLocation, AthenaEmulator.WorkGroup, AthenaEmulator.AccessKey],
                environment: ChildProcess.AwsEnvironment(AthenaEmulator.AccessKey, AthenaEmulator.SecretKey),
                timeout: TimeSpan.FromSeconds(120));
            Assert.True(exit == 0, $"python3 exited {exit}: {stderr}");
            var answer = JsonNode.Parse(stdout)!;

            Assert.Equal("SUCCEEDED", (string?)answer["states"]!.AsArray().Last());
            Assert.True((bool)answer["submitted_is_datetime"]!);
            Assert.StartsWith(emulator.OutputLocation, (string?)answer["output_location"]);
            Assert.EndsWith(".csv", (string?)answer["output_location"]);
            Assert.Equal(AthenaEmulator.EngineVersion, (string?)answer["engine_version"]);
            Assert.Equal("""[["n","integer"],["s","varchar"]]""", answer["columns"]!.ToJsonString());
            var rows = answer["rows"]!.AsArray().Select(r => r!.AsArray().Select(v => (string?)v).ToArray()).ToArray();
            Assert.Equal([["n", "s"], ["1", "a,\"b\""], ["2", null], ["3", ""]], rows);
            Assert.Equal(2, (int)answer["pages"]!);
            Assert.Equal("CANCELLED", (string?)answer["stopped"]);
            Assert.Equal("InvalidRequestException", (string?)answer["unknown"]);
            Assert.Equal("ParamValidationError", (string?)answer["short_token"]); // boto3 knows the model's 32-character minimum too
            Assert.Equal("InvalidSignatureException", (string?)answer["bad_signature"]);
            Assert.Equal(403, (int)answer["bad_signature_status"]!);

            // The object boto3's query left in S3 is the CSV Athena would have written.
            var bytes = await emulator.S3.GetBytesAsync((string)answer["output_location"]!);
            Assert.Equal("\"n\",\"s\"\n\"1\",\"a,\"\"b\"\"\"\n\"2\",\n\"3\",\"\"\n", System.Text.Encoding.UTF8.GetString(bytes));
        }
        finally
        {
            File.Delete(script);
        }
    }
}
