using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SoxAuto.Core.Batches;
using SoxAuto.Core.Data;
using SoxAuto.Core.Notifications;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Batches;

/// <summary>A batch ends once, when its last run has ended, whoever notices first: its outcome names the runs
/// that did not succeed, and the end is recorded (batch.ended) and announced through the notification outbox once.</summary>
public sealed class BatchEndingTests
{
    [Fact]
    public async Task A_batch_ends_once_when_its_last_run_ends_naming_the_failed_run_and_batch_ended_is_written_to_the_outbox_once()
    {
        await using var app = await CoreHost.StartAsync(settings: new()
        {
            // A receiver nobody listens on: the message is written to the outbox whatever becomes of its delivery.
            ["SoxAuto:Notifications:Webhook:Url"] = "http://127.0.0.1:9/hook",
            ["SoxAuto:Notifications:Webhook:Secret"] = "0123456789abcdef0123456789abcdef",
        }, services: s => s.Remove(s.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(RunWorker))));
        var batch = await app.Get<BatchService>().RequestAsync("C-PG-1", "2025-09", new Actor("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") });
        var ending = app.Get<BatchEnding>();
        var dbs = app.Get<IDbContextFactory<SoxAutoDb>>();
        var failed = batch.Runs.Single(r => r.IpeId == "IPE_09").Id;

        await using (var db = await dbs.CreateDbContextAsync())
            await db.Runs.Where(r => r.BatchId == batch.Id && r.Kind == RunKind.Ipe).ExecuteUpdateAsync(u => u.SetProperty(r => r.State, RunState.Succeeded));
        await ending.EndIfDoneAsync(batch.Id); // the reconciliation is still queued
        await using (var db = await dbs.CreateDbContextAsync())
        {
            Assert.Null((await db.Batches.SingleAsync()).EndedAt);
            await db.Runs.Where(r => r.Id == failed).ExecuteUpdateAsync(u => u.SetProperty(r => r.State, RunState.Failed));
            await db.Runs.Where(r => r.BatchId == batch.Id && r.Kind == RunKind.Reconciliation).ExecuteUpdateAsync(u => u.SetProperty(r => r.State, RunState.Failed));
        }

        // Several processes (and the sweep) may notice at once.
        await Task.WhenAll(ending.EndIfDoneAsync(batch.Id), ending.EndIfDoneAsync(batch.Id), ending.EndFinishedAsync(default));

        await using (var db = await dbs.CreateDbContextAsync())
        {
            var ended = await db.Batches.SingleAsync();
            Assert.Equal(BatchOutcome.Failed, ended.Outcome);
            Assert.Contains($"2 of 12 runs did not succeed: IPE_09 run {failed} Failed; C-PG-1 run", ended.Message);
            Assert.Single(await db.AuditTrail.Where(e => e.Action == "batch.ended" && e.Subject == $"batch/{batch.Id}").ToListAsync());
            var notice = Assert.Single(await db.Notifications.Where(n => n.Kind == NotificationKind.BatchEnded).ToListAsync());
            Assert.Contains("\"event\":\"batch.ended\"", notice.Body);
            Assert.Contains($"/batches/{batch.Id}", notice.Text);
        }
    }
}
