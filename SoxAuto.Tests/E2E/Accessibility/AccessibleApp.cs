using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SoxAuto.Core.Batches;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Procedures.Reperformance;
using SoxAuto.Core.Reconciliations;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;
using SoxAuto.Core.Schedules;
using SoxAuto.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace SoxAuto.Tests.E2E.Accessibility;

/// <summary>Who looks at a page: signed out, or signed in on the local demo sign-in as a person holding
/// one role.</summary>
public enum Role { SignedOut, Auditor, Reviewer, Admin }

/// <summary>One real app and one Chromium for the accessibility tests, with the data the pages' states
/// need: a run that succeeded, one that failed, one that was cancelled, and a draft change of IPE_09
/// awaiting approval. Each role has its own signed-in browser context.</summary>
public sealed class AccessibleApp : IAsyncLifetime
{
    private static readonly Dictionary<Role, (string Id, string Name)> People = new()
    {
        [Role.Auditor] = ("ada", "Ada Auditor"),
        [Role.Reviewer] = ("rita", "Rita Reviewer"),
        [Role.Admin] = ("alan", "Alan Admin"),
    };

    /// <summary>A run of it stays Running while a test looks at it (<see cref="TestIpes.SlowSql"/>).</summary>
    public const string SlowIpe = "IPE_SLOW";

    /// <summary>Fails on the engine: its table does not exist.</summary>
    public const string FailingIpe = "IPE_FAILS";

    /// <summary>IPE_09 with a control query that fails on the engine and a witness that is not there: its run
    /// succeeds with a check Error and a check Failed.</summary>
    public const string ChecksFailIpe = "IPE_CHECKS_FAIL";

    /// <summary>IPE_09's orders of the period's last day with the time the query read them: a reperformance of it
    /// always differs in that column (data that moved).</summary>
    public const string MovingIpe = "IPE_MOVING";

    private readonly Dictionary<Role, IBrowserContext> _contexts = [];
    private readonly List<int> _slowRuns = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public SoxAutoApp App { get; private set; } = null!;
    public int SucceededRun { get; private set; }
    public int FailedRun { get; private set; }
    public int ChecksFailedRun { get; private set; }
    public int CancelledRun { get; private set; }
    /// <summary>A run of IPE_09 by the auditor that the reviewer approved with a comment.</summary>
    public int ApprovedRun { get; private set; }
    /// <summary>IPE_09's version awaiting approval (authored by Beth, so Alan may review it).</summary>
    public int DraftVersion { get; private set; }
    /// <summary>C-PG-1's reconciliation of 2025-09 (Ada's), and its one line outside the threshold.</summary>
    public int Reconciliation { get; private set; }
    public int OutsideLine { get; private set; }
    /// <summary>Ada's batch of C-PG-1 for 2025-09 (its runs under way or ended, whichever the page finds).</summary>
    public int Batch { get; private set; }

    /// <summary>Ada's reperformance of <see cref="SucceededRun"/> (a match), and of a run of <see cref="MovingIpe"/> (differences).</summary>
    public int MatchingReperformance { get; private set; }
    public int DifferingReperformance { get; private set; }

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await Browser.LaunchAsync();
        // A webhook nobody listens on: the notifications page has messages that failed, with their errors.
        App = SoxAutoApp.Start(settings: new Dictionary<string, string?>
        {
            ["SoxAuto:Notifications:Webhook:Url"] = $"http://127.0.0.1:{LoopbackPort.Free()}/hooks",
            ["SoxAuto:Notifications:Webhook:Secret"] = "test-only-webhook-secret-0123456789",
            ["SoxAuto:Notifications:MaxAttempts"] = "1",
        });
        await TestIpes.AddAsync(App.Services, SlowIpe, TestIpes.SlowSql);
        await TestIpes.AddAsync(App.Services, FailingIpe, "SELECT order_id FROM process_pg_bob.no_such_table WHERE order_date <= {{period_end}}");

        // Started first: it runs the control's IPEs and the G/L reports while the rest is set up.
        var reconciliation = await App.Services.GetRequiredService<ReconciliationService>().RequestAsync("C-PG-1", "2025-09", Actor(Role.Auditor));
        var ipe09 = SeedCatalog.All.Single(i => i.Id == "IPE_09");
        await TestIpes.AddAsync(App.Services, ipe09 with
        {
            Id = ChecksFailIpe,
            Checks = ipe09.Checks with
            {
                ControlTotalQueries = [new("Counts from a missing table", "SELECT COUNT(*) AS row_count, SUM(1) AS total_amount FROM no_such_table")],
                WitnessRecords = [new("An order that is not in the lake", new Dictionary<string, string> { ["order_id"] = "none" }, MustBePresent: true)],
            },
        });

        SucceededRun = (await App.RunToEndAsync("IPE_09", "2025-09", People[Role.Auditor].Name)).Id;
        // The prior period of the succeeded run, for its roll-forward.
        await App.RunToEndAsync("IPE_09", "2025-08", People[Role.Auditor].Name);
        ChecksFailedRun = (await App.RunToEndAsync(ChecksFailIpe, "2025-09", People[Role.Auditor].Name)).Id;
        FailedRun = (await App.RunToEndAsync(FailingIpe, "2025-09", People[Role.Auditor].Name)).Id;
        CancelledRun = await StartSlowRunAsync();
        await Runs.CancelAsync(CancelledRun, Actor(Role.Auditor));
        await RunWaits.ForFinalAsync(App.Services, CancelledRun, TimeSpan.FromSeconds(60));
        _slowRuns.Clear();

        DraftVersion = await DraftIpe09ChangeAsync("o.company");

        var moving = TestIpes.Definition(MovingIpe,
            "SELECT order_id, company, total_amount, CAST(now() AS VARCHAR) AS read_at FROM pg_bob_sales_order WHERE order_date = {{period_end}} ORDER BY order_id LIMIT 5");
        await TestIpes.AddAsync(App.Services, moving with { Checks = new() { KeyColumns = ["order_id"] } });
        MatchingReperformance = await ReperformToEndAsync(SucceededRun);
        DifferingReperformance = await ReperformToEndAsync((await App.RunToEndAsync(MovingIpe, "2025-09", People[Role.Auditor].Name)).Id);

        ApprovedRun = (await App.RunToEndAsync("IPE_09", "2025-09", People[Role.Auditor].Name)).Id;
        await App.Services.GetRequiredService<ReviewService>().SignOffAsync(ApprovedRun, SignOffDecision.Approved,
            "Totals agree with the ledger.", null, new Actor(People[Role.Reviewer].Name, "test", SeesEveryRun: true) { Subject = TestPeople.SubjectOf(People[Role.Reviewer].Name) });
        var reconciled = await RunWaits.ForFinalAsync(App.Services, reconciliation.Id, TimeSpan.FromMinutes(10));
        if (reconciled.State != RunState.Succeeded) throw new InvalidOperationException($"The reconciliation did not succeed: {reconciled.Message}");
        Reconciliation = reconciled.Id;
        OutsideLine = (await App.Services.GetRequiredService<ReconciliationService>().LoadAsync(Reconciliation))!.Lines.Single(l => l.Outside).Id;

        // Last, so that its runs do not hold up the states above; a schedule for the catalog and the schedules page.
        Batch = (await App.Services.GetRequiredService<BatchService>().RequestAsync("C-PG-1", "2025-09", Actor(Role.Auditor))).Id;
        await App.Services.GetRequiredService<ScheduleService>().CreateAsync(
            new ScheduleDraft("c-pg-1-month-end", ScheduleTarget.Control, "C-PG-1", "0 6 * * *", 2, "Europe/Berlin", PeriodRule.PreviousMonth), Actor(Role.Admin));
    }

    private async Task<int> ReperformToEndAsync(int runId)
    {
        var requested = await App.Services.GetRequiredService<Reperformances>().RequestAsync(runId, Actor(Role.Auditor));
        var run = await RunWaits.ForFinalAsync(App.Services, requested.Id, TimeSpan.FromMinutes(2));
        if (run.State != RunState.Succeeded) throw new InvalidOperationException($"The reperformance of run {runId} did not succeed: {run.Message}");
        return run.Id;
    }

    /// <summary>Beth saves a draft of IPE_09 that also sorts by <paramref name="column"/>; returns its number.</summary>
    public async Task<int> DraftIpe09ChangeAsync(string column)
    {
        var active = (await Changes.HistoryAsync("IPE_09")).Single(v => v.Status == IpeVersionStatus.Active).Definition;
        var changed = active with { Sql = active.Sql.Replace("ORDER BY o.order_id", $"ORDER BY o.order_id, {column}", StringComparison.Ordinal) };
        return (await Changes.SaveDraftAsync(changed, $"Sort ties by {column}", new Actor("Beth Admin", "test", IsAdmin: true) { Subject = TestPeople.SubjectOf("Beth Admin") })).Number;
    }

    private RunService Runs => App.Services.GetRequiredService<RunService>();
    private IpeChanges Changes => App.Services.GetRequiredService<IpeChanges>();

    private static Actor Actor(Role role) => new(People[role].Name, "test", role == Role.Admin) { Subject = TestPeople.SubjectOf(People[role].Name) };

    /// <summary>An address with the fixture's data filled in (see AccessibilityTests.PageState).</summary>
    public async Task<string> ResolveAsync(string address)
    {
        if (address.Contains("{running}", StringComparison.Ordinal))
            address = address.Replace("{running}", (await StartSlowRunAsync()).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return address
            .Replace("{succeeded}", SucceededRun.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{failed}", FailedRun.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{checksFailed}", ChecksFailedRun.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{cancelled}", CancelledRun.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{approved}", ApprovedRun.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{draft}", DraftVersion.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{reconciliation}", Reconciliation.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{line}", OutsideLine.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{batch}", Batch.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{reperformanceMatch}", MatchingReperformance.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{reperformanceDiffers}", DifferingReperformance.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>Starts a run of <see cref="SlowIpe"/> as the auditor and returns once it is Running; it
    /// is cancelled by <see cref="CancelSlowRunsAsync"/>.</summary>
    public async Task<int> StartSlowRunAsync()
    {
        var run = await Runs.RequestAsync(SlowIpe, "2025-09", null, Actor(Role.Auditor));
        _slowRuns.Add(run.Id);
        await RunWaits.ForExecutionAsync(App.Services, run.Id);
        return run.Id;
    }

    /// <summary>Stops every slow run still going (they would hold the engine and a core for minutes).</summary>
    public async Task CancelSlowRunsAsync()
    {
        foreach (var id in _slowRuns.ToList())
        {
            if (!(await RunWaits.LoadAsync(App.Services, id)).IsFinal)
                await Runs.CancelAsync(id, Actor(Role.Admin));
            await RunWaits.ForFinalAsync(App.Services, id, TimeSpan.FromSeconds(60));
            _slowRuns.Remove(id);
        }
    }

    /// <summary>A tab in a browser context of its own, signed out (for a test that signs in itself).</summary>
    public async Task<IPage> NewSignedOutPageAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1024, Height = 768 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    /// <summary>A new tab for <paramref name="role"/>; the role's context signs in once, on first use.</summary>
    public async Task<IPage> NewPageAsync(Role role)
    {
        if (!_contexts.TryGetValue(role, out var context))
        {
            context = await _browser!.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = App.BaseAddress.ToString(),
                AcceptDownloads = true,
            });
            if (role != Role.SignedOut)
            {
                var signIn = await context.NewPageAsync();
                await signIn.GotoAsync("/signin");
                await signIn.Locator($"button[data-person={People[role].Id}]").ClickAsync();
                await Expect(signIn.Locator("[data-testid=signed-in-person]")).ToContainTextAsync(People[role].Name);
                await signIn.CloseAsync();
            }
            _contexts[role] = context;
        }
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    public async Task DisposeAsync()
    {
        await CancelSlowRunsAsync();
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}
