using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using SoxAuto.Core.Periods;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Web.Components.Pages.Runs;

namespace SoxAuto.Tests.Components;

/// <summary>What screen readers hear while a run is followed: a polite live region that speaks on each
/// change of state at once, and about rows at most once per <see cref="RunAnnouncer.MinimumGap"/>.</summary>
public sealed class RunAnnouncerTests : IAsyncLifetime
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2025, 10, 1, 9, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly BunitContext _context = new();
    private readonly ManualClock _clock = new();

    public Task InitializeAsync()
    {
        _context.Services.AddSingleton<TimeProvider>(_clock);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static Run Running() => new() { Id = 7, IpeId = "IPE_09", Period = Period.Month(2025, 9), RequestedBy = "Ada Auditor", RequestedBySubject = TestPeople.SubjectOf("Ada Auditor"), State = RunState.Running, Message = "Query running on the engine." };

    [Fact]
    public void Rows_are_announced_at_most_once_per_gap_and_a_change_of_state_at_once()
    {
        var run = Running();
        var cut = _context.Render<RunAnnouncer>(p => p.Add(x => x.Run, run));
        var region = () => cut.Find("[data-testid=run-announcement]");
        Assert.Equal("status", region().GetAttribute("role"));
        Assert.Equal("polite", region().GetAttribute("aria-live"));
        Assert.Equal("Run 7: Running. Query running on the engine.", region().TextContent);

        // A row count every 100 ms for 4.9 s: nothing new is said.
        for (var rows = 1_000; rows <= 49_000; rows += 1_000)
        {
            _clock.Now += TimeSpan.FromMilliseconds(100);
            cut.Render(p => p.Add(x => x.RowsSoFar, rows));
            Assert.Equal("Run 7: Running. Query running on the engine.", region().TextContent);
        }

        // Once the gap has passed, the latest count is said.
        _clock.Now += TimeSpan.FromMilliseconds(100);
        cut.Render(p => p.Add(x => x.RowsSoFar, 50_000));
        Assert.Equal("Run 7: Running. Query running on the engine. 50,000 rows so far.", region().TextContent);

        // The end of the run is said at once, whatever the time since the last announcement.
        _clock.Now += TimeSpan.FromMilliseconds(100);
        run.State = RunState.Succeeded;
        run.Message = "Evidence ready: 50,000 rows.";
        cut.Render(p => p.Add(x => x.Run, run));
        Assert.Equal("Run 7: Succeeded. Evidence ready: 50,000 rows.", region().TextContent);
    }

    [Fact]
    public void The_visible_run_status_is_no_live_region_so_updates_are_not_said_twice()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        foreach (var state in Enum.GetValues<RunState>())
        {
            var run = Running();
            run.State = state;
            run.CancelRequested = state == RunState.Running;
            var cut = _context.Render<RunStatus>(p => p.Add(x => x.Run, run).Add(x => x.RowsSoFar, 1_000));
            Assert.Empty(cut.FindAll("[role=alert], [role=status], [aria-live]"));
        }
    }
}
