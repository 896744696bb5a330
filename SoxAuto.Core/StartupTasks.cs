using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SoxAuto.Core.Admin;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.DemoLake;
using SoxAuto.Core.Reconciliations;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core;

/// <summary>Before anything is served: the database schema, the seed catalog, the demo lake (for the
/// local engine), the start and its settings in the audit trail, and recovery of runs a previous
/// process left unfinished.</summary>
public sealed class StartupTasks(
    IDbContextFactory<SoxAutoDb> dbs, IpeCatalog catalog, ControlChanges controls, DemoLakeGenerator lake, RunRecovery recovery,
    SettingsRecord settings, IOptions<SoxAutoOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await PrepareAsync(ct);
        await settings.RecordStartAsync(ct);
        await recovery.RecoverAsync(ct);
    }

    /// <summary>Everything but recording the start and recovery; the headless run uses it too, since
    /// recovering runs belongs to the long-running app alone (and a headless run records its own action).</summary>
    public async Task PrepareAsync(CancellationToken ct)
    {
        await using (var db = await dbs.CreateDbContextAsync(ct))
            await db.MigrateOnceAsync(ct);
        await catalog.SeedAsync(SeedCatalog.All, ct);
        await controls.SeedAsync(SeedControls.All, ct);
        if (options.Value.EngineKind == EngineKind.Local)
            await lake.EnsureAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
