using Microsoft.EntityFrameworkCore;
using SoxAuto.Core;
using SoxAuto.Core.Data;
using SoxAuto.Core.Procedures.Reperformance;
using SoxAuto.Core.Runs;

namespace SoxAuto.Web.Cli;

/// <summary>
/// <c>dotnet run --project SoxAuto.Web -- reperform RUN_ID</c>: runs a past run's exact IPE version, period
/// and parameters again, here, as a run of its own linked to the original, and compares the extracts. Prints
/// one JSON object (match, the figures side by side, the rows that differ). Exit code 0 when the extract is
/// the original's byte for byte, 3 when it differs, 1 when it could not be done (refused, or the run failed),
/// 2 for a malformed command line.
/// </summary>
public static class ReperformCommand
{
    public const string Verb = "reperform";
    public const int Different = 3;

    public static async Task<int> RunAsync(CommandLine command)
    {
        var (hostArgs, args) = VerbHost.Split(command);
        if (args.Count != 1 || !int.TryParse(args[0], out var originalId))
        {
            await Console.Error.WriteLineAsync("Usage: reperform <run id>");
            return 2;
        }
        await using var app = await VerbHost.StartAsync(hostArgs, prepare: true);
        var services = app.Services;
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        // The operating-system account that started the verb can read the whole data folder anyway.
        var actor = VerbHost.Operator();

        Run run;
        try
        {
            run = await services.GetRequiredService<Reperformances>().RequestAsync(originalId, actor, executeHere: true);
        }
        catch (RunRequestException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        services.GetRequiredService<RunProgress>().Changed += u => { if (u.RunId == run.Id) Console.Error.WriteLine($"[{u.State}] {u.Message}"); };
        var queue = services.GetRequiredService<RunQueue>();
        using (var cts = queue.TryTrack(run.Id, CancellationToken.None)!)
        using (stop.Token.Register(() => _ = HeadlessCommand.CancelAsync(services, [run.Id], actor, cts)))
            await services.GetRequiredService<RunExecutor>().ExecuteAsync(run.Id, cts.Token, CancellationToken.None);

        await using var db = await services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var done = await db.Runs.AsNoTracking().FirstAsync(r => r.Id == run.Id);
        var result = Reperformances.ResultOf(done);
        var folder = services.GetRequiredService<DataFolder>();
        VerbHost.Print(new
        {
            runId = done.Id,
            reperforms = originalId,
            ipe = done.IpeId,
            ipeVersion = done.IpeVersionNumber,
            period = done.PeriodText,
            status = done.State.ToString(),
            message = done.Message,
            match = result?.Match ?? false,
            dataRead = result?.DataBasis,
            rows = result?.RowCount,
            sha256 = result?.Sha256,
            totals = result?.Totals,
            comparedBy = result?.ComparedBy,
            addedRows = result?.AddedRows,
            removedRows = result?.RemovedRows,
            changedRows = result?.ChangedRows,
            differences = result?.Differences.Select(d => new { change = d.Change.ToString(), d.Key, d.OriginalRow, d.ReperformedRow, d.Detail }),
            note = result?.Note,
            xlsx = done.WorkbookPath is null ? null : folder.Absolute(done.WorkbookPath),
            workbookSha256 = done.WorkbookSha256,
        });
        if (done.Owner != services.GetRequiredService<RunLeases>().Holder)
        {
            await Console.Error.WriteLineAsync($"Run {done.Id} was taken over by another SoxAuto process; it is {done.State} there.");
            return 1;
        }
        if (done.State != RunState.Succeeded || result is null)
        {
            await Console.Error.WriteLineAsync($"Reperformance run {done.Id} ended {done.State}: {done.Message}");
            return 1;
        }
        await Console.Error.WriteLineAsync(result.Match
            ? $"Run {done.Id} reproduced run {originalId}: same SHA-256 {result.Sha256.Reperformed}."
            : $"Run {done.Id} differs from run {originalId}: {result.AddedRows:N0} rows added, {result.RemovedRows:N0} removed, {result.ChangedRows:N0} changed.");
        return result.Match ? 0 : Different;
    }
}
