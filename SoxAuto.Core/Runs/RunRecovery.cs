using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Data;

namespace SoxAuto.Core.Runs;

/// <summary>At start-up, hands every unfinished run back to the worker. The executor re-attaches to
/// the engine's execution where it has one, and ends the run Failed, with the reason, where the
/// engine no longer knows it. So no run stays Queued or Running forever.</summary>
public sealed class RunRecovery(IDbContextFactory<SoxAutoDb> dbs, RunQueue queue)
{
    public async Task RecoverAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var unfinished = await db.Runs
            .Where(r => r.State == RunState.Queued || r.State == RunState.Running || r.State == RunState.WritingEvidence)
            .OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(ct);
        foreach (var id in unfinished) queue.Enqueue(id);
    }
}
