using System.Text.Json;
using SoxAuto.Core;
using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Reconciliations;
using SoxAuto.Core.Runs;

namespace SoxAuto.Web.Cli;

/// <summary>
/// <c>dotnet run --project SoxAuto.Web -- reconcile C-PG-1 --period 2025-09</c>: a control's reconciliation
/// on the same services as the web app, without the web server; the IPE runs it needs and cannot find are
/// started and executed here. Prints one JSON object on standard output, messages on standard error. Exit
/// code 0 when every line is within its threshold, 3 when it ran and some line is outside, 1 when it could
/// not run (refused, or failed: an IPE it needs failed), 2 for a malformed command line.
/// </summary>
public static class ReconcileCommand
{
    public const string Verb = "reconcile";
    public const int Outside = 3;

    public static async Task<int> RunAsync(CommandLine command)
    {
        if (!HeadlessCommand.TryParse(command, out var request, out var error) || request.Parameters.Count > 0)
        {
            await Console.Error.WriteLineAsync(error.Length > 0 ? error : "A reconciliation takes no --param: it uses each IPE's default parameters.");
            await Console.Error.WriteLineAsync("Usage: reconcile <control id> --period <2025-09 | 2025-Q3 | 2025 | 2025-09-15>");
            return 2;
        }
        await using var app = await VerbHost.StartAsync(request.HostArgs, prepare: true);
        var services = app.Services;
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

        var actor = Actor.Service(request.Person, "cli");
        Run run;
        try
        {
            run = await services.GetRequiredService<ReconciliationService>()
                .RequestAsync(request.IpeId, request.Period, actor, executeHere: true);
        }
        catch (RunRequestException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        services.GetRequiredService<RunProgress>().Changed += u => Console.Error.WriteLine($"[run {u.RunId} {u.State}] {u.Message}");
        var queue = services.GetRequiredService<RunQueue>();
        using (var cts = queue.TryTrack(run.Id, CancellationToken.None)!)
        using (stop.Token.Register(() => _ = HeadlessCommand.CancelAsync(services, [run.Id], actor, cts)))
            await services.GetRequiredService<ReconciliationExecutor>().ExecuteAsync(run.Id, cts.Token, CancellationToken.None);

        var view = (await services.GetRequiredService<ReconciliationService>().LoadAsync(run.Id))!;
        var done = view.Run;
        var store = services.GetRequiredService<IEvidenceStore>();
        var output = new
        {
            runId = done.Id,
            control = done.IpeId,
            thresholdsVersion = done.IpeVersionNumber,
            period = done.PeriodText,
            runBy = done.RequestedBy,
            status = done.State.ToString(),
            reconciles = view.Reconciles,
            message = done.Message,
            workbookSha256 = done.WorkbookSha256,
            xlsx = done.WorkbookPath is null ? null : store.Where(done.WorkbookPath),
            sha256 = done.ExtractSha256,
            csv = done.ExtractPath is null ? null : store.Where(done.ExtractPath),
            lines = view.Lines.Select(l => new
            {
                glAccount = l.GlAccount,
                company = l.Company,
                currency = l.Currency,
                ipes = l.Ipes,
                ipeTotal = l.IpeTotal,
                glBalance = l.GlBalance,
                difference = l.Difference,
                threshold = l.Threshold,
                status = l.StatusText,
                usdRate = l.UsdRate,
                differenceUsd = l.DifferenceUsd,
            }),
            inputs = view.Inputs.Select(i => new { ipe = i.IpeId, ipeVersion = i.IpeVersionNumber, role = i.Role.ToString(), runId = i.InputRunId, extractSha256 = i.ExtractSha256 }),
        };
        Console.Out.WriteLine(JsonSerializer.Serialize(output, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        var lost = done.Owner != services.GetRequiredService<RunLeases>().Holder;
        if (lost)
        {
            await Console.Error.WriteLineAsync($"Reconciliation {done.Id} was taken over by another SoxAuto process; it is {done.State} there.");
            return 1;
        }
        if (done.State != RunState.Succeeded)
        {
            await Console.Error.WriteLineAsync($"Reconciliation {done.Id} ended {done.State}: {done.Message}");
            return 1;
        }
        await Console.Error.WriteLineAsync(done.Message);
        return view.Reconciles ? 0 : Outside;
    }
}
