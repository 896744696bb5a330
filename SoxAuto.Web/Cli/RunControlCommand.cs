using Microsoft.Extensions.Options;
using SoxAuto.Core;
using SoxAuto.Core.Batches;
using SoxAuto.Core.Notifications;
using SoxAuto.Core.Reconciliations;
using SoxAuto.Core.Runs;

namespace SoxAuto.Web.Cli;

/// <summary>
/// <c>dotnet run --project SoxAuto.Web -- run-control C-PG-1 --period 2025-09</c>: a batch, on the same services
/// as the web app without the web server: every approved IPE of the control for the period, executed here
/// (<see cref="SoxAutoOptions.WorkerConcurrency"/> at a time), then the control's reconciliation over those runs.
/// Prints one JSON object on standard output, messages on standard error. Exit code 0 when every run succeeded
/// and the control reconciles, 3 when every run succeeded but some reconciliation line is outside its threshold,
/// 1 when the batch could not start or some run did not succeed, 2 for a malformed command line.
/// </summary>
public static class RunControlCommand
{
    public const string Verb = "run-control";

    public static async Task<int> RunAsync(CommandLine command)
    {
        if (!HeadlessCommand.TryParse(command, out var request, out var error) || request.Parameters.Count > 0)
        {
            await Console.Error.WriteLineAsync(error.Length > 0 ? error : "A batch takes no --param: each IPE runs with its default parameters.");
            await Console.Error.WriteLineAsync("Usage: run-control <control id> --period <2025-09 | 2025-Q3 | 2025 | 2025-09-15>");
            return 2;
        }
        await using var app = await VerbHost.StartAsync(request.HostArgs, prepare: true);
        var services = app.Services;
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

        var actor = Actor.Service(request.Person, "cli", seesEveryRun: true);
        Batch batch;
        try
        {
            batch = await services.GetRequiredService<BatchService>().RequestAsync(request.IpeId, request.Period, actor, executeHere: true);
        }
        catch (RunRequestException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        services.GetRequiredService<RunProgress>().Changed += u => Console.Error.WriteLine($"[run {u.RunId} {u.State}] {u.Message}");
        using var work = new CancellationTokenSource();
        using (stop.Token.Register(() => _ = HeadlessCommand.CancelAsync(services, [.. batch.Runs.Select(r => r.Id)], actor, work)))
            await ExecuteAsync(services, batch, work.Token);

        var view = (await services.GetRequiredService<BatchService>().OpenAsync(batch.Id, actor))!;
        var recon = view.Reconciliation is { } r0 ? await services.GetRequiredService<ReconciliationService>().LoadAsync(r0.Id) : null;
        VerbHost.Print(new
        {
            batchId = view.Batch.Id,
            control = view.Batch.ControlId,
            period = view.Batch.PeriodText,
            runBy = view.Batch.RequestedBy,
            outcome = view.Batch.Outcome?.ToString(),
            message = view.Batch.Message,
            runs = view.Runs.Select(r => new
            {
                runId = r.Id,
                kind = r.Kind.ToString(),
                ipe = r.IpeId,
                status = r.State.ToString(),
                message = r.Message,
                rows = r.RowCount,
                sha256 = r.ExtractSha256,
                workbookSha256 = r.WorkbookSha256,
            }),
            reconciliation = recon is null ? null : new { runId = recon.Run.Id, status = recon.Run.State.ToString(), reconciles = recon.Reconciles, outside = recon.Outside },
        });
        // The batch has ended: one attempt at telling people about it and its runs now (what fails is retried by the web app).
        var sender = services.GetRequiredService<NotificationSender>();
        foreach (var subject in view.Runs.Select(r => $"run/{r.Id}").Append($"batch/{view.Batch.Id}"))
            await sender.SendDueAsync(subject, CancellationToken.None);
        await Console.Error.WriteLineAsync(view.Batch.Message ?? $"Batch {view.Batch.Id} has not ended: another SoxAuto process took some of its runs over.");
        return view.Batch.Outcome switch
        {
            BatchOutcome.Succeeded => 0,
            BatchOutcome.OutsideThresholds => ReconcileCommand.Outside,
            _ => 1,
        };
    }

    /// <summary>The IPE runs, several at once as the worker would, then the reconciliation (which reads them).</summary>
    private static async Task ExecuteAsync(IServiceProvider services, Batch batch, CancellationToken cancel)
    {
        var queue = services.GetRequiredService<RunQueue>();
        var executor = services.GetRequiredService<RunExecutor>();
        var concurrency = services.GetRequiredService<IOptions<SoxAutoOptions>>().Value.WorkerConcurrency;
        await Parallel.ForEachAsync(batch.Runs.Where(r => r.Kind == RunKind.Ipe), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (run, _) =>
            {
                using var cts = queue.TryTrack(run.Id, cancel)!;
                try { await executor.ExecuteAsync(run.Id, cts.Token, CancellationToken.None); }
                finally { queue.Untrack(run.Id); }
            });
        if (batch.Runs.FirstOrDefault(r => r.Kind == RunKind.Reconciliation) is { } recon)
        {
            using var cts = queue.TryTrack(recon.Id, cancel)!;
            try { await services.GetRequiredService<ReconciliationExecutor>().ExecuteAsync(recon.Id, cts.Token, CancellationToken.None); }
            finally { queue.Untrack(recon.Id); }
        }
    }
}
