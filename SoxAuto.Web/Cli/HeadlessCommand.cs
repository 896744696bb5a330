using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core;
using SoxAuto.Core.Data;
using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Notifications;
using SoxAuto.Core.Runs;

namespace SoxAuto.Web.Cli;

/// <summary>
/// <c>dotnet run --project SoxAuto.Web -- run IPE_09 --period 2025-09 [--param name=value]</c>:
/// one run on the same services as the web app, without the web server. Prints one JSON object to
/// standard output; messages go to standard error. Exit code 0 only when the run succeeded.
/// </summary>
public static class HeadlessCommand
{
    public const string Verb = "run";

    public static async Task<int> RunAsync(CommandLine command)
    {
        if (!TryParse(command, out var request, out var error))
        {
            await Console.Error.WriteLineAsync(error);
            await Console.Error.WriteLineAsync("Usage: run <IPE id> --period <2025-09 | 2025-Q3 | 2025 | 2025-09-15> [--param name=value]...");
            return 2;
        }

        await using var app = await VerbHost.StartAsync(request.HostArgs, prepare: true);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

        var services = app.Services;
        Run run;
        try
        {
            run = await services.GetRequiredService<RunService>()
                .RequestAsync(request.IpeId, request.Period, request.Parameters, Actor.Service(request.Person, "cli"), executeHere: true);
        }
        catch (RunRequestException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        var progress = services.GetRequiredService<RunProgress>();
        progress.Changed += u => { if (u.RunId == run.Id) Console.Error.WriteLine($"[{u.State}] {u.Message}"); };
        // Ctrl+C cancels the run as the Cancel button does (the duties check, the audit entry), then stops
        // the work here (it ends Cancelled, no evidence kept); the run itself executes in this process.
        var queue = services.GetRequiredService<RunQueue>();
        var actor = Actor.Service(request.Person, "cli");
        using (var cts = queue.TryTrack(run.Id, CancellationToken.None)!)
        using (stop.Token.Register(() => _ = CancelAsync(services, [run.Id], actor, cts)))
            await services.GetRequiredService<RunExecutor>().ExecuteAsync(run.Id, cts.Token, CancellationToken.None);

        await using var db = await services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var done = await db.Runs.Include(r => r.Checks).AsNoTracking().FirstAsync(r => r.Id == run.Id);
        var store = services.GetRequiredService<IEvidenceStore>();
        var output = new
        {
            runId = done.Id,
            ipe = done.IpeId,
            ipeVersion = done.IpeVersionNumber,
            period = done.PeriodText,
            runBy = done.RequestedBy,
            status = done.State.ToString(),
            message = done.Message,
            rows = done.RowCount,
            sha256 = done.ExtractSha256,
            workbookSha256 = done.WorkbookSha256,
            csv = done.ExtractPath is null ? null : store.Where(done.ExtractPath),
            xlsx = done.WorkbookPath is null ? null : store.Where(done.WorkbookPath),
            engine = done.Engine,
            executionId = done.ExecutionId,
            checks = done.Checks.OrderBy(c => c.Order).Select(c => new
            {
                c.Name,
                status = c.Status.ToString(),
                c.Expected,
                c.Actual,
                c.ExecutionId,
                c.DurationMs,
                c.Detail,
                c.Rule,
            }),
        };
        Console.Out.WriteLine(JsonSerializer.Serialize(output, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        // The run has ended: one attempt at telling people about it now (what fails is retried by the web app).
        await services.GetRequiredService<NotificationSender>().SendDueAsync($"run/{run.Id}", CancellationToken.None);
        // A run this process no longer holds was taken over (it was paused past its lease): its outcome is the other process's.
        var lost = done.Owner != services.GetRequiredService<RunLeases>().Holder;
        if (lost)
            await Console.Error.WriteLineAsync(
                $"Run {done.Id} was taken over by another SoxAuto process (this one could not renew its lease in time); it is {done.State} there. See the run's page for its outcome.");
        else if (done.State != RunState.Succeeded)
            await Console.Error.WriteLineAsync($"Run {done.Id} ended {done.State}: {done.Message}");
        return done.State == RunState.Succeeded && !lost ? 0 : 1;
    }

    /// <summary>Ctrl+C on a headless verb cancels its runs as the Cancel button does (the duties check, the
    /// audit entry), then stops the work in this process whatever the answer.</summary>
    internal static async Task CancelAsync(IServiceProvider services, IReadOnlyCollection<int> runIds, Actor actor, CancellationTokenSource work)
    {
        try
        {
            await using (var db = await services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync())
                runIds = await db.Runs.Where(r => runIds.Contains(r.Id) && r.State != RunState.Succeeded && r.State != RunState.Failed && r.State != RunState.Cancelled).Select(r => r.Id).ToListAsync();
            foreach (var runId in runIds)
            {
                try
                {
                    await services.GetRequiredService<RunService>().CancelAsync(runId, actor);
                }
                catch (Exception e) when (e is RunRequestException or UnauthorizedAccessException)
                {
                    await Console.Error.WriteLineAsync($"Cancelling run {runId}: {e.Message}");
                }
            }
        }
        finally
        {
            // CancelAsync signals the runs tracked here; cancelling again is harmless and covers a refusal.
            try { await work.CancelAsync(); } catch (ObjectDisposedException) { }
        }
    }

    internal sealed record Request(string IpeId, string Period, Dictionary<string, string> Parameters, string Person, string[] HostArgs);

    internal static bool TryParse(CommandLine command, out Request request, out string error)
    {
        request = null!;
        error = "";
        string? ipe = null, period = null;
        // No "--as": a name typed on a command line proves nothing and would let anyone step around
        // segregation of duties. The run is recorded as the operating-system account that started it.
        var person = $"cli:{Environment.UserName}";
        var parameters = new Dictionary<string, string>();
        var hostArgs = command.HostArgs.ToList();
        var args = command.VerbArgs;
        for (int i = 0; i < args.Count; i++)
        {
            string? Next() => i + 1 < args.Count ? args[++i] : null;
            switch (args[i])
            {
                case "--period": period = Next(); break;
                case "--param":
                    var pair = Next();
                    var eq = pair?.IndexOf('=') ?? -1;
                    if (pair is null || eq < 1) { error = $"--param needs name=value, not '{pair}'."; return false; }
                    parameters[pair[..eq]] = pair[(eq + 1)..];
                    break;
                case var a when a.StartsWith("--", StringComparison.Ordinal) && a.Contains('='):
                    hostArgs.Add(a); // configuration overrides such as --SoxAuto:DataPath=/tmp/x
                    break;
                case var a when ipe is null && !a.StartsWith("--", StringComparison.Ordinal):
                    ipe = a;
                    break;
                default:
                    error = $"Unexpected argument '{args[i]}'.";
                    return false;
            }
        }
        if (ipe is null)
        {
            error = command.Verb switch
            {
                ReconcileCommand.Verb => "Name the control to reconcile, e.g. C-PG-1.",
                RunControlCommand.Verb => "Name the control to run, e.g. C-PG-1.",
                _ => "Name the IPE to run, e.g. IPE_09.",
            };
            return false;
        }
        if (period is null) { error = "Give the period with --period, e.g. --period 2025-09."; return false; }
        request = new Request(ipe, period, parameters, person, [.. hostArgs]);
        return true;
    }
}
