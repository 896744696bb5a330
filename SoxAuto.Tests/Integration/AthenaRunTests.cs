using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Engines.Athena;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Core.Engines.Athena;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Tests.Fixtures.Athena;

namespace SoxAuto.Tests.Integration;

/// <summary>Whole runs with SoxAuto:Engine=Athena, pointed at the emulator and s3rver: the worker, the evidence
/// pass, cancellation and a restart in the middle of a run.</summary>
public sealed class AthenaRunTests : IClassFixture<DemoLakeFixture>, IAsyncLifetime
{
    private static readonly Actor Ada = new("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") };
    private AthenaEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await AthenaEmulator.StartAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private Task<CoreHost> StartAsync(string? dataPath = null) =>
        CoreHost.StartAsync(dataPath, AthenaTestKit.Settings(_emulator),
            s => s.AddSingleton<AwsCredentialsSource>(new FixedAwsCredentialsSource(AthenaTestKit.Credentials)));

    [Fact]
    public async Task IPE_changes_are_explained_and_tried_on_Athena_not_on_the_demo_lake()
    {
        await using var app = await StartAsync();
        var planner = app.Get<QueryPlanner>();
        var launched = _emulator.QueriesLaunched;

        var ok = await planner.ExplainAsync("SELECT order_id, total_amount FROM pg_bob_sales_order", "process_pg_bob", default);
        var missing = await planner.ExplainAsync("SELECT * FROM no_such_table", "process_pg_bob", default);
        var trial = await planner.TrialAsync("SELECT order_id FROM pg_bob_sales_order ORDER BY order_id", "process_pg_bob", 100, default);

        Assert.True(ok.Ok, ok.Error);
        Assert.Equal(["order_id", "total_amount"], ok.Columns.Select(c => c.Name));
        Assert.False(missing.Ok);
        Assert.Contains("no_such_table", missing.Error);
        Assert.Equal(100, trial.Rows.Count);
        Assert.True(trial.Truncated);
        Assert.Equal(launched + 3, _emulator.QueriesLaunched);
    }

    [Fact]
    public async Task Every_seed_IPE_runs_on_Athena_and_its_extract_hash_is_the_hash_of_the_S3_object()
    {
        await using var app = await StartAsync();
        Assert.IsType<AthenaEngine>(app.Get<IQueryEngine>());
        var runs = app.Get<RunService>();
        foreach (var ipe in SeedCatalog.All)
        {
            var run = await app.WaitForFinalAsync((await runs.RequestAsync(ipe.Id, "2025-09", null, Ada)).Id);
            Assert.True(run.State == RunState.Succeeded, $"{ipe.Id}: {run.State}: {run.Message}");
            var objectUri = $"{_emulator.OutputLocation}{run.ExecutionId}.csv";
            Assert.Equal($"Amazon S3 object {objectUri}", run.ResultSource);
            var s3Bytes = await _emulator.S3.GetBytesAsync(objectUri);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(s3Bytes)), run.ExtractSha256);
            Assert.Equal(s3Bytes, await File.ReadAllBytesAsync(Path.Combine(app.DataPath, run.ExtractPath!)));
            Assert.StartsWith("Amazon Athena (workgroup soxauto-tests", run.Engine);
            Assert.NotNull(run.DataScannedBytes);
            // Athena's statistics are saved with the run, not only written into the workbook.
            Assert.NotNull(run.TotalMillis);
            Assert.NotNull(run.QueueMillis);
            Assert.False(string.IsNullOrEmpty(run.EngineVersion));
            Assert.NotNull(run.ReusedPreviousResult);
            // Every check completed and passed; the control queries ran on Athena, each with its own execution id.
            Assert.All(run.Checks, c => Assert.True(c.Status == CheckStatus.Passed, $"{ipe.Id} {c.Name}: {c.Status} {c.Actual} {c.Detail}"));
            var control = run.Checks.Where(c => c.Name.StartsWith("Completeness", StringComparison.Ordinal)
                || c.Name.StartsWith("Accuracy", StringComparison.Ordinal)).ToList();
            Assert.Equal(1 + ipe.Checks.AmountColumns.Count, control.Count);
            Assert.All(control, c => Assert.Contains(c.ExecutionId, _emulator.ExecutionIds));
            Assert.All(control, c => Assert.NotEqual(run.ExecutionId, c.ExecutionId));
            Assert.All(control, c => Assert.Contains("'2025-09-30'", c.Rule)); // as executed: the parameters' values in it
        }
        Assert.Equal(SeedCatalog.All.Sum(i => 1 + i.Checks.ControlTotalQueries.Count), _emulator.QueriesLaunched);
    }

    [Fact]
    public async Task A_control_query_that_fails_on_Athena_is_an_Error_check_and_never_Passed()
    {
        await using var app = await StartAsync();
        var ipe = SeedCatalog.All.Single(i => i.Id == "IPE_09");
        var broken = ipe with
        {
            Id = "IPE_09_BROKEN_CONTROL",
            Checks = ipe.Checks with { ControlTotalQueries = [new("Counts from a table that is not there", "SELECT COUNT(*) AS row_count, SUM(x) AS total_amount FROM no_such_table")] },
        };
        await app.Get<IpeCatalog>().SeedAsync([broken]);

        var run = await app.WaitForFinalAsync((await app.Get<RunService>().RequestAsync(broken.Id, "2025-09", null, Ada)).Id);

        Assert.Equal(RunState.Succeeded, run.State);
        var control = run.Checks.Where(c => c.Name.StartsWith("Completeness", StringComparison.Ordinal) || c.Name.StartsWith("Accuracy", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(control);
        Assert.All(control, c => Assert.Equal(CheckStatus.Error, c.Status));
        Assert.All(control, c => Assert.Contains("no_such_table", c.Detail));
        Assert.All(control, c => Assert.Contains(c.ExecutionId, _emulator.ExecutionIds));
    }

    [Fact]
    public async Task An_IPE_with_its_own_results_location_runs_there_and_its_evidence_is_read_from_there()
    {
        await using var app = await StartAsync();
        var own = $"s3://{S3Server.Bucket}/ipe-09-own/";
        var ipe = SeedCatalog.All.Single(i => i.Id == "IPE_09") with { Id = "IPE_09_OWN_OUTPUT", OutputLocation = own };
        await app.Get<IpeCatalog>().SeedAsync([ipe]);

        var run = await app.WaitForFinalAsync((await app.Get<RunService>().RequestAsync(ipe.Id, "2025-09", null, Ada)).Id);

        Assert.True(run.State == RunState.Succeeded, $"{run.State}: {run.Message}");
        var started = _emulator.StartRequests.Where(r => ((string)r["ClientRequestToken"]!).StartsWith($"soxauto-run-{run.Id}", StringComparison.Ordinal)).ToList();
        Assert.Equal(1 + ipe.Checks.ControlTotalQueries.Count, started.Count); // the query and its control query
        Assert.All(started, r => Assert.Equal(own, (string?)r["ResultConfiguration"]!["OutputLocation"]));
        Assert.NotEqual(own, _emulator.OutputLocation);
        Assert.Equal($"Amazon S3 object {own}{run.ExecutionId}.csv", run.ResultSource);
    }

    [Fact]
    public async Task A_restart_in_the_middle_of_a_run_re_attaches_to_the_query_and_starts_no_second_one()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        // The query stays queued until the app has stopped, however long the stop takes on a busy machine.
        var queue = _emulator.HoldQueued = new TaskCompletionSource();
        int runId;
        string? executionId;
        await using (var app = await StartAsync(data.Folder.Root))
        {
            runId = (await app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, Ada)).Id;
            executionId = (await app.WaitForExecutionAsync(runId)).ExecutionId;
            await app.StopAsync();
            Assert.Equal(RunState.Running, (await app.LoadAsync(runId)).State);
        }
        Assert.Equal("QUEUED", _emulator.StateOf(executionId!));
        queue.SetResult();

        await using var restarted = await StartAsync(data.Folder.Root);
        var run = await restarted.WaitForFinalAsync(runId);
        Assert.True(run.State == RunState.Succeeded, $"{run.State}: {run.Message}");
        Assert.Equal(executionId, run.ExecutionId);
        Assert.Equal(2, _emulator.QueriesLaunched); // the run's query once, then its control query
        Assert.Equal(2, _emulator.CallsOf("StartQueryExecution"));
        Assert.Equal(0, _emulator.CallsOf("StopQueryExecution"));
    }

    [Fact]
    public async Task Cancelling_a_run_stops_the_Athena_query()
    {
        await using var app = await StartAsync();
        _emulator.QueuedFor = TimeSpan.FromSeconds(60);
        var runId = (await app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, Ada)).Id;
        var executionId = (await app.WaitForExecutionAsync(runId)).ExecutionId;
        await app.Get<RunService>().CancelAsync(runId, Ada);
        var run = await app.WaitForFinalAsync(runId);
        Assert.Equal(RunState.Cancelled, run.State);
        Assert.Equal(1, _emulator.CallsOf("StopQueryExecution"));
        Assert.Equal("CANCELLED", _emulator.StateOf(executionId!));
    }

    [Fact]
    public async Task The_check_athena_verb_passes_every_step_against_the_emulator()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        var (exit, stdout, stderr) = await WebProcessAsync(data, ["check-athena"], [$"--SoxAuto:Athena:StsServiceUrl={_emulator.Endpoint}"]);
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains($"PASS Credentials: Signed in as {AthenaEmulator.CallerArn}", stdout);
        Assert.Contains($"PASS Workgroup: Workgroup {AthenaEmulator.WorkGroup} exists and is enabled.", stdout);
        Assert.Contains($"PASS Output location: {_emulator.OutputLocation} can be listed and read.", stdout);
    }

    [Fact]
    public async Task The_headless_run_uses_Athena_with_credentials_from_the_default_chain()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        var (exit, stdout, stderr) = await WebProcessAsync(data, ["run", "IPE_09", "--period", "2025-09"], [], regionFromEnvironment: true);
        Assert.True(exit == 0, stderr);

        using var json = JsonDocument.Parse(stdout);
        // SoxAuto:Athena:Region is empty: AWS_DEFAULT_REGION gave it, as for AWS's own tools.
        Assert.EndsWith($", {AthenaEmulator.Region})", json.RootElement.GetProperty("engine").GetString());
        var sha = json.RootElement.GetProperty("sha256").GetString();
        Assert.Equal(2, _emulator.StartRequests.Count); // the run's query and its control query
        Assert.All(_emulator.StartRequests, started => Assert.Equal(_emulator.OutputLocation, (string?)started["ResultConfiguration"]!["OutputLocation"]));
        var id = json.RootElement.GetProperty("executionId").GetString()!;
        var s3Bytes = await _emulator.S3.GetBytesAsync($"{_emulator.OutputLocation}{id}.csv");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(s3Bytes)), sha);
        // The JSON lists the checks, each with its status; the control checks with the control query's execution id.
        var checks = json.RootElement.GetProperty("checks").EnumerateArray().ToList();
        Assert.All(checks, c => Assert.Equal("Passed", c.GetProperty("status").GetString()));
        var completeness = checks.Single(c => c.GetProperty("name").GetString()!.StartsWith("Completeness", StringComparison.Ordinal));
        Assert.Equal(_emulator.ExecutionIds.Single(e => e != id), completeness.GetProperty("executionId").GetString());
        Assert.Contains("row_count", completeness.GetProperty("rule").GetString());
    }

    /// <summary>The web app's entry point as a process, configured for the emulator; the output location comes
    /// from ATHENA_S3_OUTPUT (as teams moving from the earlier script have it) and the credentials from the
    /// environment, through AWS's default chain. <paramref name="regionFromEnvironment"/>: the region only in AWS_DEFAULT_REGION.</summary>
    private Task<(int Exit, string Stdout, string Stderr)> WebProcessAsync(TempDataFolder data, string[] verb, string[] extra, bool regionFromEnvironment = false)
    {
        var args = new List<string> { ChildProcess.WebDll };
        args.AddRange(verb);
        args.AddRange(extra);
        args.Add($"--SoxAuto:DataPath={data.Folder.Root}");
        args.Add($"--SoxAuto:LakePath={DemoLakeFixture.SharedLakePath}");
        foreach (var (key, value) in AthenaTestKit.Settings(_emulator))
            if (key != "SoxAuto:Athena:OutputLocation" && !(regionFromEnvironment && key == "SoxAuto:Athena:Region")) args.Add($"--{key}={value}");
        // The environment a team moving from the earlier script already has, and credentials for the default chain.
        var environment = ChildProcess.AwsEnvironment(AthenaEmulator.AccessKey, AthenaEmulator.SecretKey);
        environment["ATHENA_S3_OUTPUT"] = _emulator.OutputLocation;
        environment["AWS_REGION"] = null;
        environment["AWS_DEFAULT_REGION"] = regionFromEnvironment ? AthenaEmulator.Region : null;
        return ChildProcess.RunAsync("dotnet", args, data.Folder.Root, environment);
    }
}
