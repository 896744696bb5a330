using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;

namespace SoxAuto.Tests.Fixtures;

/// <summary>Waits for a run to reach a state, reading the database as a page would (a condition with
/// a timeout, never a fixed sleep).</summary>
public static class RunWaits
{
    public static async Task<Run> ForFinalAsync(IServiceProvider services, int runId, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        while (true)
        {
            var run = await LoadAsync(services, runId);
            if (run.IsFinal) return run;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Run {runId} is still {run.State}: {run.Message}");
            await Task.Delay(100);
        }
    }

    public static async Task<Run> ForStateAsync(IServiceProvider services, int runId, RunState state, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var run = await LoadAsync(services, runId);
            if (run.State == state) return run;
            if (run.IsFinal || DateTime.UtcNow > until)
                throw new TimeoutException($"Run {runId} did not reach {state}; it is {run.State}: {run.Message}");
            await Task.Delay(20);
        }
    }

    /// <summary>Until the engine's execution id is saved: from then on the query is surely running on
    /// the engine, which is what a test of a restart "in the middle of a run" needs.</summary>
    public static async Task<Run> ForExecutionAsync(IServiceProvider services, int runId, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var run = await LoadAsync(services, runId);
            if (run.ExecutionId is not null && run.State == RunState.Running) return run;
            if (run.IsFinal || DateTime.UtcNow > until)
                throw new TimeoutException($"Run {runId} has no running execution; it is {run.State}: {run.Message}");
            await Task.Delay(20);
        }
    }

    /// <summary>The id of the first run of <paramref name="ipeId"/>, once one is written (e.g. by a headless
    /// process, which prints its run id only at the end).</summary>
    public static async Task<int> ForRunOfAsync(IServiceProvider services, string ipeId, TimeSpan? timeout = null)
    {
        var dbs = services.GetRequiredService<IDbContextFactory<SoxAutoDb>>();
        var id = 0;
        await UntilAsync(async () =>
        {
            await using var db = await dbs.CreateDbContextAsync();
            id = await db.Runs.Where(r => r.IpeId == ipeId).OrderBy(r => r.Id).Select(r => r.Id).FirstOrDefaultAsync();
            return id != 0;
        }, $"a run of {ipeId}", timeout);
        return id;
    }

    /// <summary>Waits until <paramref name="condition"/> holds; <paramref name="what"/> names it in the timeout message.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"Waited in vain for {what}.");
            await Task.Delay(20);
        }
    }

    public static async Task<Run> LoadAsync(IServiceProvider services, int runId)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        return await db.Runs.Include(r => r.Checks).AsNoTracking().FirstAsync(r => r.Id == runId);
    }
}
