using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using SoxAuto.Core;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.Evidence;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Web.Auth;

namespace SoxAuto.Tests.Components;

/// <summary>A bUnit context with MudBlazor and SoxAuto's real core services over a real SQLite file
/// in a fresh data folder; no worker, so runs stay as a test leaves them.</summary>
public sealed class ComponentHost : IAsyncDisposable
{
    private ComponentHost(BunitContext context, DataFolder folder, BunitAuthorizationContext authorization)
    {
        Context = context;
        Folder = folder;
        Authorization = authorization;
    }

    /// <summary>The signed-in person's roles, claims and the policies they meet (an AuthorizeView with a
    /// policy shows its content only for policies granted here).</summary>
    public BunitAuthorizationContext Authorization { get; }

    public BunitContext Context { get; }
    public DataFolder Folder { get; }
    public IServiceProvider Services => Context.Services;
    public NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    public static Task<ComponentHost> StartAsync(string person = "Ada Auditor", params string[] roles) => StartAsync(person, roles, null);

    /// <param name="services">Further services a page needs (e.g. the Athena engine pointed at the emulator).</param>
    /// <param name="subject">Who the person is (<see cref="SoxAuto.Core.Access.PersonSubject"/>); by default
    /// what <see cref="TestPeople.SubjectOf"/> gives their name.</param>
    public static async Task<ComponentHost> StartAsync(string person, string[] roles, Action<IServiceCollection>? services, string? subject = null)
    {
        // bUnit's WaitFor* default is one second, which a page's database work on a loaded two-core machine
        // can outlast; a test may be slow, never flaky.
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(30);
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();

        var folder = new DataFolder(Directory.CreateTempSubdirectory("soxauto-bunit-").FullName);
        ctx.Services.AddSingleton(folder);
        ctx.Services.AddSingleton(TimeProvider.System);
        ctx.Services.AddSingleton(Options.Create(new SoxAutoOptions()));
        ctx.Services.AddDbContextFactory<SoxAutoDb>(o => o.UseSqlite($"Data Source={folder.DatabaseFile};Pooling=False"));
        ctx.Services.AddSingleton<AuditTrail>();
        ctx.Services.AddSingleton<IpeCatalog>();
        ctx.Services.AddSingleton<RunQueue>();
        ctx.Services.AddSingleton<RunLeases>();
        ctx.Services.AddSingleton<RunProgress>();
        ctx.Services.AddSingleton<SegregationOfDuties>();
        ctx.Services.AddSingleton<RunService>();
        ctx.Services.AddSingleton<RunAccess>();
        ctx.Services.AddSingleton<ReviewService>();
        ctx.Services.AddSingleton<ExtractPreview>();
        ctx.Services.AddSingleton<SoxAuto.Core.Evidence.Store.IEvidenceStore, SoxAuto.Core.Evidence.Store.FolderEvidenceStore>();
        ctx.Services.AddSingleton<SoxAuto.Core.Procedures.Reperformance.Reperformances>();
        ctx.Services.AddSingleton<SoxAuto.Core.Procedures.Sampling.Samples>();
        ctx.Services.AddSingleton<SoxAuto.Core.Procedures.RollForward.RollForwards>();
        // Trials and explains go through the local engine over the demo lake, as in the app.
        ctx.Services.AddSingleton<SoxAuto.Core.Engines.Local.LocalEngine>();
        ctx.Services.AddSingleton<SoxAuto.Core.Engines.IQueryEngine>(sp => sp.GetRequiredService<SoxAuto.Core.Engines.Local.LocalEngine>());
        ctx.Services.AddSingleton<SoxAuto.Core.Engines.QueryPlanner>();
        ctx.Services.AddSingleton<SoxAuto.Core.Admin.AthenaConsole>();
        ctx.Services.AddSingleton<IpeChanges>();
        // The catalog page lists the controls and their latest reconciliation.
        ctx.Services.AddSingleton<SoxAuto.Core.Reconciliations.ControlChanges>();
        ctx.Services.AddSingleton<SoxAuto.Core.Reconciliations.ReconciliationService>();
        // Batches (the catalog's Run all, the batch page) and schedules (the catalog's scheduled runs, the admin page).
        ctx.Services.AddSingleton(Options.Create(new SoxAuto.Core.Notifications.NotificationOptions()));
        ctx.Services.AddSingleton<SoxAuto.Core.Notifications.NotificationOutbox>();
        ctx.Services.AddSingleton<SoxAuto.Core.Batches.BatchEnding>();
        ctx.Services.AddSingleton<SoxAuto.Core.Batches.BatchService>();
        ctx.Services.AddSingleton(Options.Create(new SoxAuto.Core.Schedules.ScheduleOptions()));
        ctx.Services.AddSingleton<SoxAuto.Core.Schedules.ScheduleCalendar>();
        ctx.Services.AddSingleton<SoxAuto.Core.Schedules.ScheduleService>();
        ctx.Services.AddScoped(_ => new ClientOrigin { Address = "192.0.2.10" });
        ctx.Services.AddSingleton<SignInSessions>();
        ctx.Services.AddSingleton<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider());
        ctx.Services.AddScoped<SignedInPerson>();
        services?.Invoke(ctx.Services);

        var auth = ctx.AddAuthorization();
        auth.SetAuthorized(person);
        auth.SetRoles(roles.Length == 0 ? [Roles.Auditor] : roles);
        // Pages enable their buttons only once interactive, as in the browser. (Asking for the
        // renderer closes the service list, so this comes after every registration.)
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        await using (var db = await ctx.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync())
            await db.Database.MigrateAsync();
        // Signed in as a browser would be: an open sign-in session, named in the principal.
        var session = await ctx.Services.GetRequiredService<SignInSessions>().StartAsync(person, subject ?? TestPeople.SubjectOf(person), DateTimeOffset.UtcNow.AddHours(8));
        auth.SetClaims(new System.Security.Claims.Claim(SignInSessions.Claim, session),
            new System.Security.Claims.Claim(SignedInPerson.SubjectClaim, subject ?? TestPeople.SubjectOf(person)));
        return new ComponentHost(ctx, folder, auth);
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async Task<SoxAutoDb> DbAsync() => await Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();

    public async ValueTask DisposeAsync()
    {
        // MudBlazor's services are only async-disposable.
        await Context.DisposeAsync();
        try { Directory.Delete(Folder.Root, recursive: true); } catch (IOException) { }
    }
}
