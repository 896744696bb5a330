using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Core.Evidence.Store;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Tests.Fixtures.Athena;
using SoxAuto.Tests.Integration.Api;

namespace SoxAuto.Tests.Integration.PostgreSql;

/// <summary>
/// Two web app processes on one PostgreSQL database, as two instances behind a load balancer: runs started
/// through the API on either are each executed exactly once, a run whose instance is killed is finished by
/// the other, a session cookie from one is accepted by the other, and the audit trail both append to stays
/// one unbroken chain. The instances share the data folder, hence the evidence (the default Folder store).
/// </summary>
[Collection(nameof(SeveralProcesses))]
public sealed class TwoInstancesTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    // Three million rows: the engine writes them in seconds, the evidence pass takes a while longer.
    private const string ManyRowsSql =
        "SELECT range AS n, range * 3 AS m, 'row ' || range AS label FROM range(3000000) WHERE {{period_end}} IS NOT NULL";

    [Fact]
    public async Task Twelve_runs_started_on_two_instances_are_each_executed_once_a_cookie_from_one_opens_the_other_and_the_audit_chain_is_intact()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        var database = await server.NewDatabaseAsync();
        // Both start at once on the empty database: one migrates and seeds, the other waits or finds it done.
        var bucket = $"two-instances-{Guid.NewGuid():N}/";
        var starting = new[] { StartInstanceAsync(data, database, bucket), StartInstanceAsync(data, database, bucket) };
        await using var a = await starting[0];
        await using var b = await starting[1];
        var token = await IssueTokenAsync(data, database);

        var started = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            using var client = Api(i % 2 == 0 ? a : b, token);
            using var response = await ApiClient.StartRunAsync(client);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return (await ApiClient.JsonAsync(response)).GetProperty("id").GetInt32();
        }));
        using (var client = Api(b, token))
            foreach (var id in started)
                Assert.Equal("Succeeded", (await ApiClient.UntilEndedAsync(client, id, TimeSpan.FromMinutes(5))).GetProperty("state").GetString());

        await using var db = await DbsOf(database).CreateDbContextAsync();
        var runs = await db.Runs.AsNoTracking().Where(r => started.Contains(r.Id)).ToListAsync();
        Assert.Equal(12, runs.Count);
        foreach (var run in runs)
            Assert.Equal(["run.requested", "run.started", "run.succeeded"], await AuditActionsAsync(db, run.Id));
        // Both instances executed runs: a run queued on one and not yet claimed may be claimed by the other.
        var executors = runs.Select(r => ProcessOf(r.Owner!)).Distinct().Order().ToList();
        Assert.True(executors.SequenceEqual(new[] { a.Id, b.Id }.Order()), $"Runs were executed by process(es) {string.Join(", ", executors)} only.");
        // The evidence is in the one bucket: each extract, downloaded from the instance that did not write it, has its hash.
        foreach (var run in runs)
        {
            using var other = Api(ProcessOf(run.Owner!) == a.Id ? b : a, token);
            var bytes = await other.GetByteArrayAsync($"api/v1/runs/{run.Id}/extract.csv");
            Assert.Equal(run.ExtractSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        }
        // No evidence on local disk (engine-results/ holds the local engine's own results, not evidence).
        foreach (var local in new[] { "evidence", "evidence-work" }.Select(f => Path.Combine(data.Folder.Root, f)).Where(Directory.Exists))
            Assert.Empty(Directory.EnumerateFiles(local, "*", SearchOption.AllDirectories));

        // A session cookie issued by one instance is accepted by the other: the keys that seal it are in the database.
        var cookies = new CookieContainer();
        using (var atA = a.Client(cookies))
            await SoxAutoApp.SignInLocallyAsync(atA, "ada");
        using var atB = b.Client(cookies);
        using var page = await atB.GetAsync("/runs");
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{(int)page.StatusCode} {page.Headers.Location}");
        Assert.NotEmpty(await db.SessionKeys.ToListAsync());
        Assert.False(Directory.Exists(Path.Combine(data.Folder.Root, "keys")), "Session keys were written to the data folder, not the database.");

        // Both appended to the trail at once; verify-audit, a verb on the same database, finds one unbroken chain.
        var (exit, stdout, stderr) = await ChildProcess.HeadlessAsync(data.Folder.Root, ["verify-audit", .. VerbSettings(database)]);
        Assert.True(exit == 0, stderr + stdout);
        Assert.True(JsonDocument.Parse(stdout).RootElement.GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task A_run_whose_instance_is_killed_while_writing_evidence_is_finished_once_by_the_other_instance()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        var database = await server.NewDatabaseAsync();
        var bucket = $"two-instances-{Guid.NewGuid():N}/";
        await using var a = await StartInstanceAsync(data, database, bucket);
        await using var b = await StartInstanceAsync(data, database, bucket);
        await using (var services = PostgresServer.Database(database))
            await TestIpes.AddAsync(services, "IPE_MANY", ManyRowsSql);
        var token = await IssueTokenAsync(data, database);
        var dbs = DbsOf(database);

        using var client = Api(a, token);
        using var response = await ApiClient.StartRunAsync(client, "IPE_MANY");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var runId = (await ApiClient.JsonAsync(response)).GetProperty("id").GetInt32();
        Run writing = null!;
        await RunWaits.UntilAsync(async () =>
        {
            await using var db = await dbs.CreateDbContextAsync();
            writing = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId);
            Assert.False(writing.IsFinal, $"Run {runId} ended {writing.State} before it could be interrupted: {writing.Message}");
            return writing.State == RunState.WritingEvidence;
        }, $"run {runId} writing its evidence", TimeSpan.FromMinutes(3));

        var (killed, survivor) = ProcessOf(writing.Owner!) == a.Id ? (a, b) : (b, a);
        await killed.KillAsync();   // SIGKILL: no chance to let go of the run
        using var atSurvivor = Api(survivor, token);
        var ended = await ApiClient.UntilEndedAsync(atSurvivor, runId, TimeSpan.FromMinutes(5));

        Assert.Equal("Succeeded", ended.GetProperty("state").GetString());
        await using var after = await dbs.CreateDbContextAsync();
        var run = await after.Runs.AsNoTracking().SingleAsync(r => r.Id == runId);
        Assert.Equal(3_000_000, run.RowCount);
        Assert.Equal(survivor.Id, ProcessOf(run.Owner!));
        Assert.Equal(["run.requested", "run.started", "run.resumed", "run.succeeded"], await AuditActionsAsync(after, runId));
    }

    /// <summary>One instance's settings, in one place: the shared data folder, the database, the evidence in one
    /// bucket (s3rver) under <paramref name="prefix"/>, short leases so that a killed instance's run is taken over
    /// within seconds. The connection string and the bucket's credentials come through the environment, as
    /// docs/operations/deployment.md says.</summary>
    private static Task<WebAppProcess> StartInstanceAsync(TempDataFolder data, string database, string prefix) =>
        WebAppProcess.StartAsync("Development", new Dictionary<string, string>(
            S3EvidenceStoreTests.S3rverSettings(S3Server.Shared, prefix).Select(s => KeyValuePair.Create(s.Key, s.Value!)))
        {
            ["SoxAuto:DataPath"] = data.Folder.Root,
            ["SoxAuto:LakePath"] = SharedLake.Path,
            ["SoxAuto:Database:Provider"] = "PostgreSql",
            ["SoxAuto:RunLeaseDuration"] = "00:00:03",
            ["SoxAuto:RunLeaseRenewInterval"] = "00:00:00.250",
            ["SoxAuto:Api:RateLimit"] = "1000000",
        }, new Dictionary<string, string?>
        {
            ["SoxAuto__Database__ConnectionString"] = database,
            ["AWS_ACCESS_KEY_ID"] = S3Server.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = S3Server.SecretKey,
        });

    private static string[] VerbSettings(string database) =>
        [.. PostgresServer.Settings(database).Select(s => $"--{s.Key}={s.Value}"), $"--SoxAuto:LakePath={SharedLake.Path}"];

    /// <summary>A token issued by the <c>token issue</c> verb on the same database, as an operator would.</summary>
    private static async Task<string> IssueTokenAsync(TempDataFolder data, string database)
    {
        var (exit, stdout, stderr) = await ChildProcess.HeadlessAsync(data.Folder.Root,
            ["token", "issue", "--name", "two-instances", "--role", "auditor", "--expires", "30d", .. VerbSettings(database)]);
        Assert.True(exit == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.GetProperty("token").GetString()!;
    }

    private static HttpClient Api(WebAppProcess instance, string token)
    {
        var client = new HttpClient { BaseAddress = instance.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static IDbContextFactory<SoxAutoDb> DbsOf(string database) =>
        PostgresServer.Database(database).GetRequiredService<IDbContextFactory<SoxAutoDb>>();

    /// <summary>The process id in a run's owner (host/process id/instance id, see RunLeases.Holder).</summary>
    private static int ProcessOf(string owner) => int.Parse(owner.Split('/')[1], CultureInfo.InvariantCulture);

    /// <summary>The run's audit actions, once its outcome is recorded (just after its final state is saved).</summary>
    private static async Task<List<string>> AuditActionsAsync(SoxAutoDb db, int runId)
    {
        List<string> actions = [];
        await RunWaits.UntilAsync(async () =>
        {
            actions = await db.AuditTrail.AsNoTracking().Where(e => e.Subject == $"run/{runId}").OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
            return actions.Any(a => a is "run.succeeded" or "run.failed" or "run.cancelled");
        }, $"the outcome of run {runId} in the audit trail", TimeSpan.FromSeconds(30));
        return actions;
    }
}
