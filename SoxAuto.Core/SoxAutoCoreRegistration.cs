using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SoxAuto.Core.Access;
using SoxAuto.Core.Admin;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Backup;
using SoxAuto.Core.Batches;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.DemoLake;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Engines.Athena;
using SoxAuto.Core.Engines.Local;
using SoxAuto.Core.Evidence;
using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Logs;
using SoxAuto.Core.Notifications;
using SoxAuto.Core.Packages;
using SoxAuto.Core.Reconciliations;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;
using SoxAuto.Core.Schedules;
using SoxAuto.Core.Tokens;

namespace SoxAuto.Core;

public static class SoxAutoCoreRegistration
{
    /// <summary>Everything SoxAuto does, without a web server: used by the web app and the headless verbs.</summary>
    public static IHostApplicationBuilder AddSoxAutoCore(this IHostApplicationBuilder builder)
    {
        var s = builder.Services;
        LogDefaults.Apply(builder.Configuration);
        s.AddOptions<SoxAutoOptions>().BindConfiguration(SoxAutoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        s.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        s.AddSingleton(TimeProvider.System);
        s.AddSingleton<DataFolder>();
        s.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        s.AddDbContextFactory<SoxAutoDb>((sp, o) => SoxAutoDb.Configure(o, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value,
            sp.GetRequiredService<DataFolder>()));

        s.AddSingleton<AuditTrail>();
        s.AddSingleton<AuditSearch>();
        s.AddSingleton<SettingsRecord>();
        s.AddSingleton<People>();
        s.AddSingleton<AccessReview>();
        s.AddSingleton<IpeCatalog>();
        s.AddSingleton<DemoLakeGenerator>();
        s.AddSingleton<LocalEngine>();
        if (SoxAutoOptions.EngineIn(builder.Configuration) == EngineKind.Athena)
            s.AddAthenaEngine();
        else
            s.AddSingleton<IQueryEngine>(sp => sp.GetRequiredService<LocalEngine>());
        // IPE changes are checked and tried on the engine that runs the IPEs (Athena itself in Athena mode).
        s.AddSingleton<QueryPlanner>();
        s.AddSingleton<AthenaConsole>();
        s.AddSingleton<EvidenceWriter>();
        s.AddEvidenceStore(builder.Configuration);
        s.AddSingleton<ExtractPreview>();

        s.AddSingleton<RunQueue>();
        s.AddSingleton<RunLeases>();
        s.AddSingleton<RunProgress>();
        s.AddSingleton<SegregationOfDuties>();
        s.AddSingleton<IpeChanges>();
        s.AddSingleton<CatalogTransfer>();
        s.AddSingleton<RunService>();
        s.AddSingleton<RunAccess>();
        s.AddSingleton<ReviewService>();
        s.AddSingleton<EvidencePackages>();
        s.AddSingleton<EvidenceVerifier>();
        s.AddSingleton<RunExecutor>();
        s.AddSingleton<Procedures.Reperformance.Reperformances>();
        s.AddSingleton<IRunProcedure>(sp => sp.GetRequiredService<Procedures.Reperformance.Reperformances>());
        s.AddSingleton<Procedures.Sampling.Samples>();
        s.AddSingleton<Procedures.RollForward.RollForwards>();
        s.AddSingleton<RunRecovery>();
        s.AddSingleton<ControlChanges>();
        s.AddSingleton<ReconciliationService>();
        s.AddSingleton<ReconciliationExecutor>();
        s.AddSingleton<BatchService>();
        s.AddSingleton<BatchEnding>();
        s.AddOptions<ScheduleOptions>().BindConfiguration(ScheduleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        s.AddSingleton<ScheduleCalendar>();
        s.AddSingleton<ScheduleService>();
        s.AddSingleton<ScheduleFirings>();
        s.AddSingleton<AccessTokens>();
        // Start-up runs first (migrate, seed, lake, recover), then the worker takes the queue.
        s.AddSingleton<StartupTasks>();
        s.AddHostedService(sp => sp.GetRequiredService<StartupTasks>());
        s.AddHostedService<RunWorker>();
        s.AddHostedService<RunProgressPoll>();
        s.AddHostedService<ScheduleClock>();

        s.AddSingleton<DatabaseBackup>();
        s.AddSingleton<RestoreCheck>();

        s.AddSingleton<NotificationOutbox>();
        s.AddSingleton<EmailChannel>();
        s.AddSingleton<WebhookChannel>();
        s.AddSingleton<NotificationSender>();
        s.AddHostedService(sp => sp.GetRequiredService<NotificationSender>());
        return builder;
    }
}
