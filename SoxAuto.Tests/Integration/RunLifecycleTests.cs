using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Data;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>Runs through the real services: SQLite on disk, DuckDB over the demo lake, the worker.</summary>
public class RunLifecycleTests
{
    private static readonly Actor Ada = new("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") };

    [Fact]
    public async Task A_run_of_IPE_09_succeeds_and_its_stored_extract_hashes_to_the_recorded_SHA256()
    {
        await using var app = await CoreHost.StartAsync();
        var requested = await app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, Ada);
        Assert.Equal(RunState.Queued, requested.State);

        var run = await app.WaitForFinalAsync(requested.Id);

        Assert.True(run.State == RunState.Succeeded, run.Message);
        Assert.True(run.RowCount > 0);
        var folder = app.Get<DataFolder>();
        var csv = folder.Absolute(run.ExtractPath!);
        var xlsx = folder.Absolute(run.WorkbookPath!);
        Assert.Equal($"IPE_09_2025-09_run-{run.Id}.csv", Path.GetFileName(csv));
        Assert.Equal(run.ExtractSha256, Sha256(csv));
        Assert.Equal(run.WorkbookSha256, Sha256(xlsx));
        Assert.Equal(1, run.IpeVersionNumber);
        Assert.Contains("DATE '2025-09-30'", run.ExecutedSql);
        Assert.NotEmpty(run.Checks);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(csv)!, "*.partial"));
    }

    [Fact]
    public async Task The_same_IPE_and_period_run_twice_give_the_same_extract_SHA256()
    {
        await using var app = await CoreHost.StartAsync();
        var runs = app.Get<RunService>();
        var first = await runs.RequestAsync("IPE_09", "2025-09", null, Ada);
        var second = await runs.RequestAsync("IPE_09", "2025-09", null, new Actor("Sam Auditor", "test") { Subject = TestPeople.SubjectOf("Sam Auditor") });

        var a = await app.WaitForFinalAsync(first.Id);
        var b = await app.WaitForFinalAsync(second.Id);

        Assert.Equal(RunState.Succeeded, a.State);
        Assert.Equal(RunState.Succeeded, b.State);
        Assert.Equal(a.ExtractSha256, b.ExtractSha256);
        Assert.Equal(a.RowCount, b.RowCount);
    }

    [Theory]
    [InlineData("IPE_99", "2025-09", "no approved IPE called 'IPE_99'")]
    [InlineData("IPE_09", "2025-13", "month must be 01 to 12")]
    [InlineData("IPE_09", "abc", "is not a period")]
    [InlineData("IPE_09", "2099-01", "the year must be 2000 to ")]
    public async Task A_bad_request_is_refused_with_a_clear_message_and_creates_no_run(string ipe, string period, string message)
    {
        await using var app = await CoreHost.StartAsync();
        var e = await Assert.ThrowsAsync<RunRequestException>(() => app.Get<RunService>().RequestAsync(ipe, period, null, Ada));
        Assert.Contains(message, e.Message);
        await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Runs.CountAsync());
    }

    [Fact]
    public async Task SQL_that_fails_on_the_engine_ends_the_run_Failed_with_the_engine_message_and_no_evidence()
    {
        await using var app = await CoreHost.StartAsync();
        await AddIpeAsync(app, "IPE_BROKEN", "SELECT order_id FROM process_pg_bob.no_such_table WHERE order_date <= {{period_end}}");

        var run = await app.WaitForFinalAsync((await app.Get<RunService>().RequestAsync("IPE_BROKEN", "2025-09", null, Ada)).Id);

        Assert.Equal(RunState.Failed, run.State);
        Assert.Contains("no_such_table", run.Message);
        Assert.Null(run.ExtractSha256);
        Assert.Null(run.WorkbookPath);
        Assert.False(Directory.Exists(Path.Combine(app.Get<DataFolder>().Evidence, $"run-{run.Id}")));
    }

    [Fact]
    public async Task A_cancelled_run_ends_Cancelled_with_who_cancelled_and_keeps_no_evidence()
    {
        await using var app = await CoreHost.StartAsync();
        await AddIpeAsync(app, "IPE_SLOW", SlowSql);
        var runs = app.Get<RunService>();
        var requested = await runs.RequestAsync("IPE_SLOW", "2025-09", null, Ada);
        await app.WaitForStateAsync(requested.Id, RunState.Running);

        await runs.CancelAsync(requested.Id, Ada);
        var run = await app.WaitForFinalAsync(requested.Id);

        Assert.Equal(RunState.Cancelled, run.State);
        Assert.Contains("Cancelled by Ada Auditor", run.Message);
        Assert.Null(run.ExtractSha256);
        Assert.False(Directory.Exists(Path.Combine(app.Get<DataFolder>().Evidence, $"run-{run.Id}")));
    }

    [Fact]
    public async Task Another_persons_run_cannot_be_cancelled_but_an_admin_may()
    {
        await using var app = await CoreHost.StartAsync();
        await AddIpeAsync(app, "IPE_SLOW", SlowSql);
        var runs = app.Get<RunService>();
        var requested = await runs.RequestAsync("IPE_SLOW", "2025-09", null, Ada);
        await app.WaitForStateAsync(requested.Id, RunState.Running);

        var refusal = await Assert.ThrowsAsync<SegregationOfDutiesException>(() => runs.CancelAsync(requested.Id, new Actor("Sam Auditor", "test") { Subject = TestPeople.SubjectOf("Sam Auditor") }));
        Assert.Contains("Only the person who ran run", refusal.Message);
        Assert.False((await app.LoadAsync(requested.Id)).IsFinal);

        await runs.CancelAsync(requested.Id, new Actor("Alan Admin", "test", IsAdmin: true) { Subject = TestPeople.SubjectOf("Alan Admin") });
        Assert.Equal(RunState.Cancelled, (await app.WaitForFinalAsync(requested.Id)).State);
    }

    [Fact]
    public async Task A_run_interrupted_by_a_restart_is_not_left_running_its_local_query_starts_again_and_queued_runs_resume()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        var dataPath = data.Folder.Root;
        int interrupted, queued;
        string firstExecution;
        await using (var app = await CoreHost.StartAsync(dataPath, new() { ["SoxAuto:WorkerConcurrency"] = "1" }))
        {
            await AddIpeAsync(app, "IPE_SLOW", SlowSql);
            var runs = app.Get<RunService>();
            interrupted = (await runs.RequestAsync("IPE_SLOW", "2025-09", null, Ada)).Id;
            queued = (await runs.RequestAsync("IPE_09", "2025-09", null, Ada)).Id; // waits behind the slow one
            firstExecution = (await app.WaitForExecutionAsync(interrupted)).ExecutionId!;
            await app.StopAsync();
            // The local engine's query died with the stop: the run forgot it, so that the next start runs it again.
            var left = await app.LoadAsync(interrupted);
            Assert.Equal(RunState.Running, left.State);
            Assert.Null(left.ExecutionId);
            Assert.Equal(RunState.Queued, (await app.LoadAsync(queued)).State);
        }

        await using var restarted = await CoreHost.StartAsync(dataPath);
        var again = await restarted.WaitForExecutionAsync(interrupted);
        Assert.NotEqual(firstExecution, again.ExecutionId);
        var resumed = await restarted.WaitForFinalAsync(queued);
        Assert.Equal(RunState.Succeeded, resumed.State);

        await restarted.Get<RunService>().CancelAsync(interrupted, Ada);
        Assert.Equal(RunState.Cancelled, (await restarted.WaitForFinalAsync(interrupted, TimeSpan.FromSeconds(60))).State);
    }

    [Fact]
    public async Task The_audit_trail_records_runs_chains_its_entries_and_refuses_edits()
    {
        await using var app = await CoreHost.StartAsync();
        var run = await app.WaitForFinalAsync((await app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, Ada)).Id);

        await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        // The worker records the outcome just after saving the final state: wait for it (bounded).
        var until = DateTime.UtcNow.AddSeconds(60);
        List<AuditEntry> entries;
        while ((entries = await db.AuditTrail.AsNoTracking().Where(a => a.Subject == $"run/{run.Id}").OrderBy(a => a.Id).ToListAsync()).Count < 3
               && DateTime.UtcNow < until)
            await Task.Delay(50);
        // Which process started it is recorded too (run.started), between the request and the outcome.
        Assert.Equal(["run.requested", "run.started", "run.succeeded"], entries.Select(e => e.Action));
        Assert.StartsWith("IPE_09 v1 for 2025-09, by ", entries[1].Detail);
        Assert.Equal("Ada Auditor", entries[0].Who);
        Assert.Null(await app.Get<AuditTrail>().FirstBrokenEntryAsync());

        var e1 = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE AuditTrail SET Who = 'Mallory'"));
        Assert.Contains("append-only", e1.Message);
        var e2 = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM AuditTrail"));
        Assert.Contains("append-only", e2.Message);
    }

    private const string SlowSql = TestIpes.SlowSql;

    private static Task AddIpeAsync(CoreHost app, string id, string sql) => TestIpes.AddAsync(app.Services, id, sql);

    private static string Sha256(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(f));
    }
}
