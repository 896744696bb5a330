using System.Text;
using Amazon.Runtime;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Engines.Athena;
using SoxAuto.Core.Extract;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Tests.Fixtures.Athena;
using static SoxAuto.Tests.Core.Engines.EngineTestKit;

namespace SoxAuto.Tests.Core.Engines.Athena;

/// <summary>The Athena engine against the emulator (Athena's JSON 1.1 protocol, SigV4) and s3rver.</summary>
public sealed class AthenaEngineTests : IClassFixture<DemoLakeFixture>, IAsyncLifetime
{
    private readonly TempDataFolder _data = DemoLakeFixture.NewDataFolder();
    private AthenaEmulator _emulator = null!;
    private AthenaEngine _engine = null!;

    public async Task InitializeAsync()
    {
        _emulator = await AthenaEmulator.StartAsync();
        _engine = AthenaTestKit.Engine(_emulator, _data);
    }

    public async Task DisposeAsync()
    {
        _engine.Dispose();
        await _emulator.DisposeAsync();
        _data.Dispose();
    }

    private const string EndlessSql = "SELECT sum(hash(range)) AS h FROM range(1000000000000)";

    internal const string AwkwardValuesSql = """
        SELECT * FROM (VALUES
          (1, 'plain', CAST(1234.5 AS DECIMAL(18, 2)), DATE '2025-09-30', true, CAST(9007199254740993 AS BIGINT)),
          (2, 'say "hi", then
        leave', CAST(-0.05 AS DECIMAL(18, 2)), NULL, false, NULL),
          (3, '', CAST(1234567890123456.78 AS DECIMAL(18, 2)), DATE '2025-01-01', NULL, -1),
          (4, NULL, NULL, NULL, NULL, 0),
          (5, 'Côte d''Ivoire ✓ شركة =SUM(A1)', CAST(0 AS DECIMAL(18, 2)), NULL, NULL, NULL)
        ) t(n, text, amount, day, flag, big)
        ORDER BY n
        """;

    private const string AwkwardCsv =
        "\"n\",\"text\",\"amount\",\"day\",\"flag\",\"big\"\n" +
        "\"1\",\"plain\",\"1234.50\",\"2025-09-30\",\"true\",\"9007199254740993\"\n" +
        "\"2\",\"say \"\"hi\"\", then\nleave\",\"-0.05\",,\"false\",\n" +
        "\"3\",\"\",\"1234567890123456.78\",\"2025-01-01\",,\"-1\"\n" +
        "\"4\",,,,,\"0\"\n" +
        "\"5\",\"Côte d'Ivoire ✓ شركة =SUM(A1)\",\"0.00\",,,\n";

    [Fact]
    public async Task A_query_runs_on_Athena_and_its_result_is_the_exact_S3_object_with_typed_columns()
    {
        var (id, status) = await RunAsync(_engine, AwkwardValuesSql);
        Assert.True(status.State == EngineState.Succeeded, $"{status.State}: {status.Reason}");
        Assert.Equal(AthenaEmulator.EngineVersion, status.Statistics?.EngineVersion);
        Assert.True(status.Statistics?.DataScannedBytes > 0);
        Assert.NotNull(status.Statistics?.TotalMillis);
        Assert.False(status.Statistics?.ReusedPreviousResult);

        await using var result = await _engine.OpenResultAsync(id, CancellationToken.None);
        using var copy = new MemoryStream();
        await result.Csv.CopyToAsync(copy);
        var bytes = copy.ToArray();
        Assert.Equal(AwkwardCsv, new UTF8Encoding(false).GetString(bytes));
        Assert.Equal(["integer", "varchar", "decimal(18,2)", "date", "boolean", "bigint"], result.Columns.Select(c => c.Type));
        Assert.Equal(["n", "text", "amount", "day", "flag", "big"], result.Columns.Select(c => c.Name));

        var objectUri = $"{_emulator.OutputLocation}{id}.csv";
        Assert.True(result.Source == $"Amazon S3 object {objectUri}", result.Source);
        // (the S3 path, not the fallback)
        Assert.Equal(Sha256(await _emulator.S3.GetBytesAsync(objectUri)), Sha256(bytes));
    }

    [Fact]
    public async Task The_start_request_carries_a_run_derived_token_the_workgroup_database_and_output_location()
    {
        var query = new EngineQuery("SELECT 1 AS one", "process_pg_bob", "soxauto-run-7");
        var first = await _engine.StartAsync(query, CancellationToken.None);
        var again = await _engine.StartAsync(query, CancellationToken.None);
        Assert.Equal(first, again);
        Assert.Equal(1, _emulator.QueriesLaunched);

        var sent = Assert.Single(_emulator.StartRequests);
        var token = (string)sent["ClientRequestToken"]!;
        Assert.StartsWith("soxauto-run-7-", token);
        Assert.InRange(token.Length, 32, 128);
        Assert.Equal(AthenaEngine.AthenaToken("soxauto-run-7"), token);
        Assert.Equal(AthenaEmulator.WorkGroup, (string?)sent["WorkGroup"]);
        Assert.Equal("process_pg_bob", (string?)sent["QueryExecutionContext"]!["Database"]);
        Assert.Equal("AwsDataCatalog", (string?)sent["QueryExecutionContext"]!["Catalog"]);
        Assert.Equal(_emulator.OutputLocation, (string?)sent["ResultConfiguration"]!["OutputLocation"]);
        Assert.Null(sent["ExecutionParameters"]); // parameters arrive as literals rendered by QueryRenderer
        Assert.Null(sent["ResultReuseConfiguration"]); // result reuse is off by default
        Assert.Equal(EngineState.Succeeded, (await WaitForFinalAsync(_engine, first)).State);
    }

    [Fact]
    public async Task Result_reuse_is_requested_only_when_configured()
    {
        using var engine = AthenaTestKit.Engine(_emulator, _data, o => o.ResultReuseMaxAgeMinutes = 60);
        await RunAsync(engine, "SELECT 1 AS one");
        var reuse = Assert.Single(_emulator.StartRequests)["ResultReuseConfiguration"]!["ResultReuseByAgeConfiguration"]!;
        Assert.True((bool)reuse["Enabled"]!);
        Assert.Equal(60, (int)reuse["MaxAgeInMinutes"]!);
    }

    [Fact]
    public async Task A_failed_query_ends_Failed_with_Athenas_reason_and_error_category()
    {
        var (_, status) = await RunAsync(_engine, "SELECT no_such_column FROM pg_bob_sales_order");
        Assert.Equal(EngineState.Failed, status.State);
        Assert.Contains("no_such_column", status.Reason);
        Assert.Contains("error category 2 (user)", status.Reason);
    }

    [Fact]
    public async Task Stop_calls_StopQueryExecution_and_returns_once_the_query_is_CANCELLED()
    {
        var id = await _engine.StartAsync(new EngineQuery(EndlessSql, "process_pg_bob", Guid.NewGuid().ToString()), CancellationToken.None);
        var until = DateTime.UtcNow.AddSeconds(30);
        while ((await _engine.GetStatusAsync(id, CancellationToken.None)).State != EngineState.Running && DateTime.UtcNow < until)
            await Task.Delay(20);
        await _engine.StopAsync(id, CancellationToken.None);
        Assert.Equal(1, _emulator.CallsOf("StopQueryExecution"));
        var status = await _engine.GetStatusAsync(id, CancellationToken.None);
        Assert.Equal(EngineState.Cancelled, status.State);
        Assert.Equal("CANCELLED", _emulator.StateOf(id));
    }

    [Fact]
    public async Task Throttling_on_start_is_retried_and_launches_one_query()
    {
        _emulator.ThrottleNext["StartQueryExecution"] = 2;
        _emulator.ServerErrorNext["StartQueryExecution"] = 1;
        var (_, status) = await RunAsync(_engine, "SELECT 1 AS one");
        Assert.Equal(EngineState.Succeeded, status.State);
        Assert.Equal(4, _emulator.CallsOf("StartQueryExecution"));
        Assert.Equal(1, _emulator.QueriesLaunched);
    }

    [Fact]
    public async Task Throttling_5xx_and_dropped_connections_while_polling_are_retried()
    {
        _emulator.RunningFor = TimeSpan.FromMilliseconds(300);
        var id = await _engine.StartAsync(new EngineQuery("SELECT 1 AS one", "process_pg_bob", Guid.NewGuid().ToString()), CancellationToken.None);
        _emulator.ThrottleNext["GetQueryExecution"] = 2;
        _emulator.ServerErrorNext["GetQueryExecution"] = 1;
        _emulator.DropNext["GetQueryExecution"] = 1;
        var status = await WaitForFinalAsync(_engine, id);
        Assert.Equal(EngineState.Succeeded, status.State);
        Assert.True(_engine.Client.Retries >= 4, $"{_engine.Client.Retries} retries");
        _emulator.ThrottleNext["GetQueryResults"] = 1;
        Assert.Equal("\"one\"\n\"1\"\n", Encoding.UTF8.GetString(await CsvBytesAsync(_engine, id)));
    }

    [Fact]
    public async Task When_retries_run_out_the_error_is_Athenas_message_not_a_stack_trace()
    {
        using var engine = AthenaTestKit.Engine(_emulator, _data, o => o.MaxAttempts = 2);
        _emulator.ThrottleNext["StartQueryExecution"] = 5;
        var e = await Assert.ThrowsAsync<EngineException>(() =>
            engine.StartAsync(new EngineQuery("SELECT 1", "process_pg_bob", Guid.NewGuid().ToString()), CancellationToken.None));
        Assert.Equal("Athena refused StartQueryExecution: TooManyRequestsException: Rate exceeded", e.Message);
        Assert.Equal(2, _emulator.CallsOf("StartQueryExecution"));
        Assert.Equal(0, _emulator.QueriesLaunched);
    }

    [Fact]
    public async Task A_query_may_go_from_RUNNING_back_to_QUEUED_and_still_succeed()
    {
        _emulator.ScriptedStates = ["QUEUED", "QUEUED", "RUNNING", "QUEUED", "RUNNING"];
        var id = await _engine.StartAsync(new EngineQuery("SELECT 1 AS one", "process_pg_bob", Guid.NewGuid().ToString()), CancellationToken.None);
        var seen = new List<EngineState>();
        EngineStatus status;
        do
        {
            status = await _engine.GetStatusAsync(id, CancellationToken.None);
            if (seen.Count == 0 || seen[^1] != status.State) seen.Add(status.State);
            await Task.Delay(20);
        } while (!status.IsFinal);
        Assert.Equal([EngineState.Queued, EngineState.Running, EngineState.Queued, EngineState.Running, EngineState.Succeeded], seen);
    }

    [Fact]
    public async Task Without_an_S3_result_GetQueryResults_pages_give_the_same_bytes_as_the_S3_object()
    {
        // 2,500 rows: three pages of 1,000, with quotes, commas, newlines, unicode, NULL and empty strings.
        const string sql = """
            SELECT range AS n,
                   CASE WHEN range % 7 = 0 THEN NULL WHEN range % 5 = 0 THEN '' ELSE 'v"' || range || ', ✓' || chr(10) || 'é' END AS s,
                   CAST(range AS DECIMAL(18, 2)) / 4 AS amount
            FROM range(2500) ORDER BY n
            """;
        var (fromS3Id, s1) = await RunAsync(_engine, sql);
        Assert.Equal(EngineState.Succeeded, s1.State);
        await using var viaS3 = await _engine.OpenResultAsync(fromS3Id, CancellationToken.None);
        var s3Bytes = await ReadAllAsync(viaS3.Csv);

        _emulator.ManagedResults = true;
        var (pagedId, s2) = await RunAsync(_engine, sql);
        Assert.Equal(EngineState.Succeeded, s2.State);
        var calls = _emulator.CallsOf("GetQueryResults");
        await using var paged = await _engine.OpenResultAsync(pagedId, CancellationToken.None);
        var pagedBytes = await ReadAllAsync(paged.Csv);

        Assert.StartsWith("Amazon S3 object ", viaS3.Source);
        Assert.StartsWith("Athena GetQueryResults, paged 1,000 rows at a time, because the query has no S3 output location", paged.Source);
        Assert.Equal(1 + 3, _emulator.CallsOf("GetQueryResults") - calls); // metadata, then 3 pages
        Assert.Equal(viaS3.Columns, paged.Columns);
        Assert.Equal(s3Bytes.Length, pagedBytes.Length);
        Assert.Equal(Sha256(s3Bytes), Sha256(pagedBytes));
        var reader = new AthenaCsvReader(new MemoryStream(pagedBytes));
        await reader.ReadHeaderAsync(CancellationToken.None);
        while (await reader.ReadRowAsync(CancellationToken.None)) { }
        Assert.Equal(2500, reader.DataRows);
    }

    [Fact]
    public async Task A_result_object_that_cannot_be_read_falls_back_to_GetQueryResults()
    {
        using var engine = AthenaTestKit.Engine(_emulator, _data);
        var (id, _) = await RunAsync(engine, AwkwardValuesSql);
        using (var s3 = _emulator.S3.CreateClient())
        {
            S3Location.TryParse($"{_emulator.OutputLocation}{id}.csv", out var location);
            await s3.DeleteObjectAsync(location.Bucket, location.Key);
        }
        await using var result = await engine.OpenResultAsync(id, CancellationToken.None);
        Assert.Contains("could not be read", result.Source);
        Assert.Equal(AwkwardCsv, Encoding.UTF8.GetString(await ReadAllAsync(result.Csv)));
    }

    [Fact]
    public async Task A_bad_signature_is_rejected_with_AWSs_error()
    {
        using var engine = AthenaTestKit.Engine(_emulator, _data, o => o.MaxAttempts = 1,
            new BasicAWSCredentials(AthenaEmulator.AccessKey, "not-the-secret"));
        var e = await Assert.ThrowsAsync<EngineException>(() =>
            engine.StartAsync(new EngineQuery("SELECT 1", "process_pg_bob", Guid.NewGuid().ToString()), CancellationToken.None));
        Assert.StartsWith("Athena refused StartQueryExecution: InvalidSignatureException: The request signature we calculated does not match", e.Message);
        Assert.Equal(0, _emulator.QueriesLaunched);
    }

    [Fact]
    public async Task A_query_past_the_time_limit_is_stopped_and_fails_saying_so()
    {
        using var engine = AthenaTestKit.Engine(_emulator, _data, o => o.Timeout = TimeSpan.FromSeconds(1));
        _emulator.QueuedFor = TimeSpan.FromSeconds(60);
        var (id, status) = await RunAsync(engine, "SELECT 1 AS one");
        Assert.Equal(EngineState.Failed, status.State);
        Assert.Contains("still queued after the time limit of 00:00:01 (SoxAuto:Athena:Timeout)", status.Reason);
        Assert.Equal(1, _emulator.CallsOf("StopQueryExecution"));
        var until = DateTime.UtcNow.AddSeconds(10);
        while (_emulator.StateOf(id) != "CANCELLED" && DateTime.UtcNow < until) await Task.Delay(20);
        Assert.Equal("CANCELLED", _emulator.StateOf(id));
    }

    [Fact]
    public void Settings_are_validated_and_the_earlier_scripts_environment_variables_are_fallbacks()
    {
        static List<string> Problems(AthenaOptions o)
        {
            var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
            System.ComponentModel.DataAnnotations.Validator.TryValidateObject(o, new(o), results, validateAllProperties: true);
            return results.Select(r => r.ErrorMessage!).ToList();
        }
        Assert.Contains(Problems(new AthenaOptions()), p => p.StartsWith("SoxAuto:Athena:Region is required"));
        Assert.Contains(Problems(new AthenaOptions { Region = "eu-west-1", OutputLocation = "bucket/prefix" }), p => p.Contains("must look like s3://bucket/prefix/"));
        Assert.Contains(Problems(new AthenaOptions { Region = "eu-west-1", EncryptionOption = "SSE_KMS" }), p => p.Contains("KmsKey is required"));
        Assert.Contains(Problems(new AthenaOptions { Region = "eu-west-1", ServiceUrl = "not a url" }), p => p.Contains("ServiceUrl must be an absolute http(s) URL"));
        Assert.Empty(Problems(AthenaTestKit.Options(_emulator)));

        // ATHENA_DATABASE / ATHENA_S3_OUTPUT are read through the environment only when the settings are empty.
        var configured = new AthenaOptions { Database = "process_pg_bob", OutputLocation = "s3://b/p" };
        Assert.Equal("process_pg_bob", configured.EffectiveDatabase);
        Assert.Equal("s3://b/p/", configured.EffectiveOutputLocation);
    }

    [Fact]
    public async Task An_execution_Athena_does_not_know_is_Unknown()
    {
        var status = await _engine.GetStatusAsync(Guid.NewGuid().ToString(), CancellationToken.None);
        Assert.Equal(EngineState.Unknown, status.State);
    }

    [Fact]
    public void Short_tokens_are_extended_deterministically_to_Athenas_minimum_length()
    {
        Assert.Equal(AthenaEngine.AthenaToken("soxauto-run-1"), AthenaEngine.AthenaToken("soxauto-run-1"));
        Assert.NotEqual(AthenaEngine.AthenaToken("soxauto-run-1"), AthenaEngine.AthenaToken("soxauto-run-2"));
        foreach (var t in new[] { "a", "soxauto-run-123456789", new string('x', 40), new string('y', 200) })
            Assert.InRange(AthenaEngine.AthenaToken(t).Length, 32, 128);
        var ok = Guid.NewGuid().ToString();
        Assert.Equal(ok, AthenaEngine.AthenaToken(ok));
    }

    private static async Task<byte[]> ReadAllAsync(Stream s)
    {
        using var copy = new MemoryStream();
        await s.CopyToAsync(copy);
        return copy.ToArray();
    }
}
