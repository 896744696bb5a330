using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SoxAuto.Core.Schedules;

/// <summary>Looks for due schedules at start-up (catching up what was missed while the app was down) and then
/// every <see cref="ScheduleOptions.CheckInterval"/>, on the app's <see cref="TimeProvider"/>. Only the
/// long-running app fires schedules; the headless verbs never do.</summary>
public sealed class ScheduleClock(ScheduleFirings firings, TimeProvider clock, IOptions<ScheduleOptions> options, ILogger<ScheduleClock> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await CheckAsync(stoppingToken);
            log.LogInformation("Schedules: the first check after start-up is done");
            using var timer = new PeriodicTimer(options.Value.CheckInterval, clock);
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await CheckAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CheckAsync(CancellationToken ct)
    {
        try { await firings.FireDueAsync(ct); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Looking for due schedules failed; trying again at the next check");
        }
    }
}
