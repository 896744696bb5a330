using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static SoxAuto.Tests.E2E.Accessibility.Role;

namespace SoxAuto.Tests.E2E.Accessibility;

/// <summary>
/// WCAG 2.1 AA on every page, for every role that may open it, in every state an action leads to:
/// axe-core's WCAG 2 A/AA rules must find nothing. A page (or a state) joins with one row in
/// <see cref="Pages"/>: its name, who looks, and how to get there.
/// </summary>
public sealed class AccessibilityTests(AccessibleApp app) : IClassFixture<AccessibleApp>
{
    /// <summary>A page in one state. <paramref name="Address"/> may name the fixture's data:
    /// {succeeded}, {failed}, {cancelled} (runs), {running} (a run started now, cancelled after the check),
    /// {approved} (a run signed off), {draft} (IPE_09's version awaiting approval), {reconciliation} (C-PG-1 for
    /// 2025-09, the auditor's), {line} (its line outside the threshold), {batch} (the auditor's batch of C-PG-1 for 2025-09),
    /// {reperformanceMatch} and {reperformanceDiffers} (the auditor's reperformances, see AccessibleApp). <paramref name="Shown"/> is waited for;
    /// <paramref name="Then"/> is the action that leads to the state.</summary>
    public sealed record PageState(string Name, Role As, string Address, string? Shown = null, Func<IPage, Task>? Then = null)
    {
        public override string ToString() => $"{Name} · {As}";
    }

    private static readonly PageState[] Pages =
    [
        // Signed out: the plain pages.
        new("Sign-in", SignedOut, "/signin"),
        new("Sign-in, after a failed sign-in", SignedOut, "/signin?failed=1"),
        new("Error page", SignedOut, "/Error"),

        // Everyone who may see runs.
        .. new[] { Auditor, Reviewer, Admin }.SelectMany(role => new PageState[]
        {
            new("IPE catalog", role, "/", "[data-testid=catalog]"),
            new("Runs list", role, "/runs", "[data-testid=runs] tbody tr"),
            new("Runs list, filtered to nothing", role, "/runs?period=1999", "text=No run matches these filters"),
            new("Run page, succeeded", role, "/runs/{succeeded}", "[data-testid=preview] tbody tr"),
            new("Run page, failed", role, "/runs/{failed}", "[data-state=Failed]"),
            new("Run page, a check failed and a check broke", role, "/runs/{checksFailed}", "[data-testid=run-checks]"),
            new("Run page, cancelled", role, "/runs/{cancelled}", "[data-state=Cancelled]"),
            new("Run page, running with live progress", role, "/runs/{running}", "[data-testid=cancel-run]"),
            new("Not found", role, "/not-found"),
            new("Reconciliation, one line outside", role, "/reconciliations/{reconciliation}", "[data-testid=lines] tbody tr"),
            new("Run page, a reperformance that matches", role, "/runs/{reperformanceMatch}", "[data-testid=reperformance-verdict]"),
            new("Run page, a reperformance with differences", role, "/runs/{reperformanceDiffers}", "[data-testid=reperformance-differences] tbody tr"),
            new("Roll-forward with its movement chart", role, "/runs/{succeeded}/roll-forward", "[data-testid=by-company-table] tbody tr"),
            new("Reconciliation, the rows behind a line", role, "/reconciliations/{reconciliation}/lines/{line}", "[data-testid=rows-CR_03] tbody tr"),
        }),
        new("Reconciliation that does not exist", Reviewer, "/reconciliations/999999", "text=There is no reconciliation 999999"),
        new("IPE catalog, a reconciliation refused", Auditor, "/", "[data-testid=controls]", async p =>
        {
            var control = p.Locator("[data-testid=controls] tr[data-control=C-PG-1]");
            await control.Locator("input").FillAsync("2025-13");
            await control.Locator("button[data-testid=reconcile]").ClickAsync();
            await Expect(p.Locator("[data-testid=reconcile-error]")).ToBeVisibleAsync();
        }),
        new("Run page, the preview's second page", Reviewer, "/runs/{succeeded}", "[data-testid=preview] tbody tr", async p =>
        {
            await p.Locator("[data-testid=preview] button[aria-label='Next page']").ClickAsync();
            await Expect(p.Locator("[data-testid=preview] tbody tr td").First).ToHaveTextAsync("26");
        }),
        new("Run page, SHA-256 copied (snackbar)", Auditor, "/runs/{succeeded}", "[data-testid=run-evidence]", async p =>
        {
            await p.Locator("[data-testid=run-evidence] button[aria-label='Copy the SHA-256']").First.ClickAsync();
            await Expect(p.Locator(".mud-snackbar")).ToBeVisibleAsync();
        }),
        new("Run page, a sample drawn", Auditor, "/runs/{succeeded}", "[data-testid=sample-form]", async p =>
        {
            await p.Locator("[data-testid=draw-sample]").ClickAsync();
            await Expect(p.Locator("[data-testid=sample]").First).ToBeVisibleAsync();
        }),
        new("Run page, a run that does not exist", Reviewer, "/runs/999999", "text=There is no run 999999"),
        new("Roll-forward without a prior period's run", Auditor, "/runs/{checksFailed}/roll-forward", "[data-testid=rollforward-none]"),
        new("Run page, approved with its sign-off", Auditor, "/runs/{approved}", "[data-testid=signoff]"),

        // Reviewers review and sign off.
        new("Review queue", Reviewer, "/review", "[data-testid=review-queue]"),
        new("Review page, awaiting sign-off", Reviewer, "/review/{succeeded}", "[data-testid=signoff-form]"),
        new("Review page, a rejection without a comment refused", Reviewer, "/review/{succeeded}", "[data-testid=signoff-form]", async p =>
        {
            await p.Locator("button[data-testid=reject]").ClickAsync(); // no comment: refused with the reason, nothing recorded
            await Expect(p.Locator("[data-testid=signoff-error]")).ToBeVisibleAsync();
        }),
        new("Review page, signed off", Reviewer, "/review/{approved}", "[data-testid=signoff]"),
        new("Access denied (an auditor on Review)", Auditor, "/review", "[data-testid=access-denied]"),

        // Anyone who sees runs verifies files.
        new("Verify evidence", Auditor, "/verify", "[data-testid=verify-drop]"),
        new("Verify evidence, a file of no run", Reviewer, "/verify", "[data-testid=verify-drop]", async p =>
        {
            await p.Locator("[data-testid=verify-file]").SetInputFilesAsync(new FilePayload
            {
                Name = "notes.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("\"a\"\n\"1\"\n"),
            });
            await Expect(p.Locator("[data-testid=verify-result]")).ToHaveAttributeAsync("data-matches", "false");
        }),

        // Auditors run IPEs.
        new("Run an IPE", Auditor, "/run", "[data-testid=ipe-select]"),
        new("Run an IPE, the IPE list open", Auditor, "/run", "[data-testid=ipe-select]", async p =>
        {
            await p.Locator("[data-testid=ipe-select]").ClickAsync();
            await Expect(p.Locator(".mud-popover-open .mud-list-item").First).ToBeVisibleAsync();
        }),
        new("Run an IPE, IPE_09 and a period chosen", Auditor, "/run?ipe=IPE_09", "[data-testid=ipe-summary]", async p =>
        {
            await p.Locator("input[data-testid=period]").FillAsync("2025-09");
            await Expect(p.Locator("[data-testid=period-end]")).ToHaveTextAsync("2025-09-30");
        }),
        new("Run an IPE, a period refused", Auditor, "/run?ipe=IPE_09", "[data-testid=ipe-summary]", async p =>
        {
            await p.Locator("input[data-testid=period]").FillAsync("2025-13");
            await Expect(p.Locator(".mud-input-control").Filter(new() { Has = p.Locator("input[data-testid=period]") })).ToContainTextAsync("month");
        }),
        new("Access denied (a reviewer on Run an IPE)", Reviewer, "/run", "[data-testid=access-denied]"),
        new("Access denied page", Auditor, "/access-denied", "[data-testid=access-denied]"),
        new("Batch page, C-PG-1 for 2025-09", Auditor, "/batches/{batch}", "[data-testid=batch-runs] tr[data-run]"),
        new("Batch page, a batch that does not exist", Reviewer, "/batches/999999", "[data-testid=batch-missing]"),

        // Admins.
        new("Athena (local engine)", Admin, "/admin/athena", "[data-testid=not-athena]"),
        new("Schedules", Admin, "/admin/schedules", "[data-testid=schedules] tr[data-schedule]"),
        new("Schedules, a schedule refused", Admin, "/admin/schedules", "[data-testid=schedule-form]", async p =>
        {
            await p.Locator("input[data-testid=schedule-name]").FillAsync("c-pg-1-quarter-end");
            await p.Locator("input[data-testid=schedule-zone]").FillAsync("Mars/Olympus");
            await p.Locator("button[data-testid=schedule-save]").ClickAsync();
            await Expect(p.Locator("[data-testid=schedule-error]")).ToBeVisibleAsync();
        }),
        new("Sign-in settings", Admin, "/admin/sign-in", "[data-testid=sign-in-settings]"),
        new("Notifications, messages that failed", Admin, "/admin/notifications", "[data-testid=notifications] tbody tr[data-testid^=notification-]"),
        new("Access tokens", Admin, "/admin/tokens", "[data-testid=issue-form]"),
        new("Access tokens, a token just issued and listed", Admin, "/admin/tokens", "[data-testid=issue-form]", async p =>
        {
            await p.Locator("input[data-testid=token-name]").FillAsync($"a11y-{Guid.NewGuid():N}"[..16]);
            await p.Locator("button[data-testid=issue]").ClickAsync();
            await Expect(p.Locator("[data-testid=token-secret]")).ToBeVisibleAsync();
            await Expect(p.Locator("[data-testid=tokens] tbody tr").First).ToBeVisibleAsync();
        }),
        new("Access tokens, a name refused", Admin, "/admin/tokens", "[data-testid=issue-form]", async p =>
        {
            await p.Locator("input[data-testid=token-name]").FillAsync("no spaces please");
            await p.Locator("button[data-testid=issue]").ClickAsync();
            await Expect(p.Locator("[data-testid=token-error]")).ToBeVisibleAsync();
        }),
        new("IPE definitions, a draft awaiting approval", Admin, "/admin/ipes", "[data-testid=pending]"),
        new("IPE definitions, import refused", Admin, "/admin/ipes", "[data-testid=ipe-definitions]", async p =>
        {
            await p.Locator("[data-testid=import-catalog]").SetInputFilesAsync(new FilePayload
            {
                Name = "catalog.json", MimeType = "application/json", Buffer = Encoding.UTF8.GetBytes("{ not json"),
            });
            await Expect(p.Locator("[data-testid=import-report]")).ToContainTextAsync("Nothing was imported");
        }),
        new("IPE definitions, import result", Admin, "/admin/ipes", "[data-testid=ipe-definitions]", async p =>
        {
            var export = await p.Context.APIRequest.GetAsync("/admin/catalog/export.json");
            await p.Locator("[data-testid=import-catalog]").SetInputFilesAsync(new FilePayload
            {
                Name = "catalog.json", MimeType = "application/json", Buffer = await export.BodyAsync(),
            });
            await Expect(p.Locator("[data-testid=import-report]")).ToContainTextAsync("Unchanged");
        }),
        new("IPE definitions, the earlier tool's file imported", Admin, "/admin/ipes", "[data-testid=ipe-definitions]", async p =>
        {
            await p.Locator("[data-testid=import-catalog]").SetInputFilesAsync(new FilePayload
            {
                // A new IPE and a SQL Server entry: IPE_09's draft, which other pages here show, stays as it is.
                Name = "ipes.json", MimeType = "application/json", Buffer = Encoding.UTF8.GetBytes(Integration.ScriptToolImportTests.NewIpeAndSqlServerFile),
            });
            await Expect(p.Locator("[data-testid=import-skipped]")).ToContainTextAsync("IPE_02");
        }),
        new("New IPE", Admin, "/admin/ipes/new", SqlEditor),
        new("New IPE, validation errors", Admin, "/admin/ipes/new", SqlEditor, async p =>
        {
            await p.Locator("button[data-testid=validate]").ClickAsync();
            await Expect(p.Locator("[data-testid=problems]")).ToBeVisibleAsync();
        }),
        new("Edit IPE_09", Admin, "/admin/ipes/IPE_09/edit", SqlEditor),
        new("Edit IPE_09, validated", Admin, "/admin/ipes/IPE_09/edit", SqlEditor, async p =>
        {
            await p.Locator("button[data-testid=validate]").ClickAsync();
            await Expect(p.Locator("[data-testid=valid]")).ToBeVisibleAsync();
        }),
        new("Edit IPE_09, trial rows", Admin, "/admin/ipes/IPE_09/edit", SqlEditor, async p =>
        {
            await p.Locator("input[data-testid=trial-period]").FillAsync("2025-09");
            await p.Locator("button[data-testid=try]").ClickAsync();
            await Expect(p.Locator("[data-testid=trial] tbody tr").First).ToBeVisibleAsync();
        }),
        new("IPE_09 history", Admin, "/admin/ipes/IPE_09/history", "[data-testid=history]"),
        new("IPE_09 history, two versions compared", Admin, "/admin/ipes/IPE_09/history", "[data-testid=history]", async p =>
        {
            await p.Locator("button[data-testid=compare]").ClickAsync();
            await Expect(p.Locator("[data-testid=diff-sql] tr.changed")).ToHaveCountAsync(1);
        }),
        new("IPE_09 draft, review and diff", Admin, "/admin/ipes/IPE_09/versions/{draft}", "[data-testid=review-panel]"),
        new("IPE_09 draft, a rejection refused", Admin, "/admin/ipes/IPE_09/versions/{draft}", "[data-testid=review-panel]", async p =>
        {
            await p.Locator("button[data-testid=reject]").ClickAsync(); // no comment: refused with the reason, nothing changes
            await Expect(p.Locator("[data-testid=review-error]")).ToBeVisibleAsync();
        }),
        new("IPE_09 active version", Admin, "/admin/ipes/IPE_09/versions/1", "[data-testid=version-facts]"),
        new("C-PG-1 thresholds", Admin, "/admin/controls/C-PG-1", "[data-testid=thresholds-form]"),
        new("C-PG-1 thresholds, a draft refused", Admin, "/admin/controls/C-PG-1", "[data-testid=thresholds-form]", async p =>
        {
            await p.Locator("button[data-testid=add-threshold]").ClickAsync();
            await p.Locator("button[data-testid=save-draft]").ClickAsync(); // an empty row: refused with the reasons, nothing saved
            await Expect(p.Locator("[data-testid=review-error]")).ToBeVisibleAsync();
        }),
        new("A control that does not exist", Admin, "/admin/controls/C-XX-9", "text=There is no control C-XX-9"),
        new("An IPE version that does not exist", Admin, "/admin/ipes/IPE_09/versions/99", "text=has no version 99"),
        new("Audit trail", Admin, "/admin/audit", "[data-testid=audit-entries] tbody tr"),
        new("Audit trail, filtered to nothing", Admin, "/admin/audit?who=nobody-of-that-name", "text=No entry matches these filters"),
        new("Audit trail, a day refused", Admin, "/admin/audit?from=30.09.2025", "[data-testid=filter-error]"),
        new("Audit trail, verified again", Admin, "/admin/audit", "[data-testid=chain-state]", async p =>
        {
            await p.Locator("[data-testid=verify-again]").ClickAsync();
            await Expect(p.Locator("[data-testid=chain-summary]")).ToContainTextAsync("intact");
        }),
        new("Access review", Admin, "/admin/access-review", "[data-testid=access-review] tbody tr"),
        new("Access review, exported", Admin, "/admin/access-review", "[data-testid=access-review] tbody tr", async p =>
        {
            await p.Locator("button[data-testid=export-review]").ClickAsync();
            await Expect(p.Locator("[data-testid=review-exported]")).ToBeVisibleAsync();
        }),
        new("Access review, a period refused", Admin, "/admin/access-review?from=2025-12-31&to=2025-10-01", "[data-testid=review-error]"),
    ];

    private const string SqlEditor = "[data-testid=sql-editor] .view-line";

    public static TheoryData<string> Cases => new(Pages.Select(p => p.ToString()));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Page_has_no_WCAG_2_1_AA_violations(string page)
    {
        var state = Pages.Single(p => p.ToString() == page);
        var tab = await app.NewPageAsync(state.As);
        try
        {
            await tab.GotoAsync(await app.ResolveAsync(state.Address));
            if (state.As == SignedOut) await Expect(tab.Locator("h1")).ToBeVisibleAsync();
            else await Browser.WaitForInteractiveAsync(tab);
            if (state.Shown is not null) await Expect(tab.Locator(state.Shown).First).ToBeVisibleAsync();
            if (state.Then is not null) await state.Then(tab);

            var violations = await Axe.RunAsync(tab);

            Assert.True(violations.Count == 0, Axe.Report(page, violations));
        }
        finally
        {
            await tab.CloseAsync();
            await app.CancelSlowRunsAsync();
        }
    }

    [Fact]
    public void Every_routable_page_has_a_row()
    {
        var templates = typeof(Web.Components.Routes).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(RouteAttribute), false).Cast<RouteAttribute>())
            .Select(r => r.Template)
            .ToList();
        Assert.NotEmpty(templates);
        var missing = templates.Where(t => !Pages.Any(p => Matches(t, p.Address))).ToList();
        Assert.True(missing.Count == 0, $"Pages no accessibility row opens: {string.Join(", ", missing)}. Add a row to {nameof(Pages)}.");
    }

    /// <summary>Does a row's address open the page of a route template? Route parameters and the
    /// fixture's placeholders both stand for any one path segment.</summary>
    private static bool Matches(string template, string address)
    {
        var path = Regex.Replace(address.Split('?')[0], @"\{[a-z]+\}", "x");
        var pattern = "^" + Regex.Replace(Regex.Escape(template.TrimEnd('/')), @"\\\{[^}]*}", "[^/]+") + "/?$";
        return Regex.IsMatch(path, pattern, RegexOptions.IgnoreCase);
    }
}
