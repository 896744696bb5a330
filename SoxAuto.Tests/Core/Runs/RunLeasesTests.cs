using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SoxAuto.Core;
using SoxAuto.Core.Periods;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Runs;

/// <summary>The rules of a run's lease, with two holders (as two processes) on one database and a clock
/// the test moves: who may claim a run, when another may take it over, and what the loser can no longer do.</summary>
public sealed class RunLeasesTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 10, 1, 8, 0, 0, TimeSpan.Zero));
    private TestDatabase _database = null!;
    private RunLeases _web = null!, _headless = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await TestIpes.AddAsync(_database.Services, "IPE_T", "SELECT 1 AS n");
        _web = Leases();
        _headless = Leases();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_run_another_live_process_holds_is_left_alone_until_its_lease_expires_and_then_taken_over()
    {
        var run = await AddRunAsync(RunState.Queued);
        Assert.True(await _headless.TryClaimAsync(run, default));

        Assert.False(await _web.TryClaimAsync(run, default));
        Assert.Empty(await _web.UnheldAsync(default));

        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Equal([run], await _web.UnheldAsync(default));
        Assert.True(await _web.TryClaimAsync(run, default));
        Assert.False(await _headless.TryClaimAsync(run, default));
        Assert.Equal(_web.Holder, (await LoadAsync(run)).Owner);
    }

    [Fact]
    public async Task A_heartbeat_keeps_the_run_past_its_first_lease()
    {
        var run = await AddRunAsync(RunState.Queued);
        Assert.True(await _headless.TryClaimAsync(run, default));
        await using var heartbeat = _headless.Keep(run);

        // Renewal after renewal, to well past the lease taken at the claim.
        for (var i = 0; i < 8; i++)
        {
            var before = (await LoadAsync(run)).LeaseExpiresAt;
            _clock.Advance(Interval);
            await RunWaits.UntilAsync(async () => (await LoadAsync(run)).LeaseExpiresAt > before, "a renewal");
        }

        Assert.False(await _web.TryClaimAsync(run, default));
        Assert.False(heartbeat.IsLost);
    }

    [Fact]
    public async Task A_run_written_to_be_executed_here_is_kept_from_its_insert_and_its_executor_takes_the_renewing_over()
    {
        // As RunService writes a run a headless process executes itself: held by it, with a lease, from the insert.
        var run = await AddRunAsync(RunState.Queued);
        Assert.True(await _headless.TryClaimAsync(run, default));
        _headless.KeepUntilExecuted(run);

        // Slow to reach its executor (a first audit append in a fresh process): the lease is renewed meanwhile.
        for (var i = 0; i < 8; i++)
        {
            var before = (await LoadAsync(run)).LeaseExpiresAt;
            _clock.Advance(Interval);
            await RunWaits.UntilAsync(async () => (await LoadAsync(run)).LeaseExpiresAt > before, "a renewal");
        }
        Assert.False(await _web.TryClaimAsync(run, default));

        // The executor claims it and takes that renewing over: once it is done, nothing renews the lease any more.
        Assert.True(await _headless.TryClaimAsync(run, default));
        await (_headless.Keep(run)).DisposeAsync();
        var last = (await LoadAsync(run)).LeaseExpiresAt;
        _clock.Advance(Lease + Interval);
        await Task.Delay(200);
        Assert.Equal(last, (await LoadAsync(run)).LeaseExpiresAt);
        Assert.True(await _web.TryClaimAsync(run, default));
    }

    [Fact]
    public async Task A_process_whose_run_was_taken_over_learns_it_at_its_next_heartbeat_and_cannot_save_the_run()
    {
        var run = await AddRunAsync(RunState.Running);
        Assert.True(await _headless.TryClaimAsync(run, default));
        await using var headlessDb = await _database.Dbs.CreateDbContextAsync();
        var held = await headlessDb.Runs.FirstAsync(r => r.Id == run);

        // The headless process stalls past its lease without a heartbeat; the web app takes the run over.
        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.True(await _web.TryClaimAsync(run, default));

        await using var heartbeat = _headless.Keep(run);
        _clock.Advance(Interval);
        await RunWaits.UntilAsync(() => Task.FromResult(heartbeat.IsLost), "the headless heartbeat to notice");
        held.State = RunState.Succeeded;
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => headlessDb.SaveChangesAsync());
        Assert.Equal(RunState.Running, (await LoadAsync(run)).State);
    }

    [Fact]
    public async Task A_run_let_go_of_at_shutdown_is_taken_over_at_once_and_a_finished_run_never()
    {
        var stopped = await AddRunAsync(RunState.Running);
        Assert.True(await _headless.TryClaimAsync(stopped, default));
        await _headless.ReleaseAsync(stopped);
        var finished = await AddRunAsync(RunState.Succeeded);

        Assert.Equal([stopped], await _web.UnheldAsync(default));
        Assert.True(await _web.TryClaimAsync(stopped, default));
        Assert.False(await _web.TryClaimAsync(finished, default));
    }

    [Theory]
    [InlineData("00:01:00", "00:00:20", true)]
    [InlineData("00:01:00", "00:00:21", false)]
    public void The_renew_interval_must_fit_three_times_into_the_lease(string lease, string interval, bool valid)
    {
        var options = new SoxAutoOptions { RunLeaseDuration = TimeSpan.Parse(lease), RunLeaseRenewInterval = TimeSpan.Parse(interval) };
        var errors = new List<ValidationResult>();

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        if (!valid)
            Assert.Contains("SoxAuto:RunLeaseRenewInterval (00:00:21) must be at most a third of SoxAuto:RunLeaseDuration (00:01:00)", errors.Single().ErrorMessage);
    }

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private RunLeases Leases() => new(_database.Dbs, _clock,
        Options.Create(new SoxAutoOptions { RunLeaseDuration = Lease, RunLeaseRenewInterval = Interval }), NullLogger<RunLeases>.Instance);

    private async Task<int> AddRunAsync(RunState state)
    {
        await using var db = await _database.Dbs.CreateDbContextAsync();
        var version = await db.IpeVersions.FirstAsync();
        var run = new Run
        {
            IpeId = version.IpeId,
            IpeVersionId = version.Id,
            IpeVersionNumber = version.Number,
            Period = Period.Month(2025, 9),
            RequestedBy = "Ada Auditor",
            RequestedBySubject = TestPeople.SubjectOf("Ada Auditor"),
            RequestedAt = _clock.GetUtcNow(),
            State = state,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    private async Task<Run> LoadAsync(int runId)
    {
        await using var db = await _database.Dbs.CreateDbContextAsync();
        return await db.Runs.AsNoTracking().FirstAsync(r => r.Id == runId);
    }
}
