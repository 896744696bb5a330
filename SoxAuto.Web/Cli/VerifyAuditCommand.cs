using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SoxAuto.Core;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;

namespace SoxAuto.Web.Cli;

/// <summary>
/// <c>dotnet run --project SoxAuto.Web -- verify-audit [--anchor ID:HASH]</c>: recomputes the audit
/// trail's hash chain from the database and names the first altered, inserted or missing entry
/// (<see cref="AuditTrail.VerifyAsync"/>). Prints one JSON object to standard output; exit code 0 when
/// the chain is intact (and the anchor, if given, holds), 1 when not, 2 when there is nothing to verify.
/// The verification itself is recorded (<c>audit.verified</c>): running it on a schedule leaves evidence
/// that the trail's integrity is monitored.
/// </summary>
public static class VerifyAuditCommand
{
    public const string Verb = "verify-audit";

    private const string Usage = "Usage: verify-audit [--anchor <entry id>:<its SHA-256>] [--SoxAuto:DataPath=<folder>]";

    public static async Task<int> RunAsync(CommandLine command)
    {
        ChainHead? anchor = null;
        var hostArgs = command.HostArgs.ToList();
        var args = command.VerbArgs;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--anchor" && i + 1 < args.Count && ChainHead.TryParse(args[i + 1], out var a))
            {
                anchor = a;
                i++;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && args[i].Contains('=') && !args[i].StartsWith("--anchor", StringComparison.Ordinal))
            {
                hostArgs.Add(args[i]); // configuration overrides such as --SoxAuto:DataPath=/srv/soxauto
            }
            else
            {
                await Console.Error.WriteLineAsync(args[i].StartsWith("--anchor", StringComparison.Ordinal)
                    ? "--anchor needs an entry's id and SHA-256, as the audit trail page shows them: e.g. --anchor 1234:9f86d081...(64 hex digits)."
                    : $"Unexpected argument '{args[i]}'.");
                await Console.Error.WriteLineAsync(Usage);
                return 2;
            }
        }

        var builder = WebApplication.CreateBuilder([.. hostArgs]);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.AddSoxAutoCore();
        await using var app = builder.Build();
        StartupRefusal.CheckSettings(app.Services);
        var services = app.Services;

        // Verified as it is: neither created nor migrated, since a copy of the database (a backup, an
        // auditor's copy) must not be changed by being checked.
        var sqlite = services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Kind == DatabaseProvider.Sqlite;
        var file = sqlite ? services.GetRequiredService<DataFolder>().DatabaseFile : "SoxAuto:Database:ConnectionString";
        if (sqlite && !File.Exists(file))
        {
            await Console.Error.WriteLineAsync($"There is no SoxAuto database at {file}: nothing to verify. Point SoxAuto:DataPath at the data folder.");
            return 2;
        }
        await using (var db = await services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync())
        {
            var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
            if (pending.Count > 0)
            {
                await Console.Error.WriteLineAsync(
                    $"The database at {file} was last opened by an earlier version of SoxAuto (it lacks {string.Join(", ", pending)}). " +
                    "Start this version's web app on it once, which upgrades it without rewriting the audit trail, then verify.");
                return 2;
            }
        }

        var trail = services.GetRequiredService<AuditTrail>();
        var verdict = await trail.VerifyAsync(anchor);
        Console.Out.WriteLine(JsonSerializer.Serialize(Json(verdict), new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        if (!verdict.Intact) await Console.Error.WriteLineAsync(verdict.Summary);
        try
        {
            await trail.RecordAsync($"cli:{Environment.UserName}", "audit.verified", "audit-trail",
                $"{(verdict.Intact ? "Intact" : "Broken")}, verified up to entry {verdict.Head?.ToString() ?? "(none)"}. {verdict.Summary}", "cli");
        }
        catch (Exception e) when (e is DbUpdateException or AuditTrailException or System.Data.Common.DbException)
        {
            // A read-only copy can still be verified; only the record of it is lost, and that is said.
            await Console.Error.WriteLineAsync($"The verification could not be recorded in the audit trail: {e.InnerException?.Message ?? e.Message}");
        }
        return verdict.Intact ? 0 : 1;
    }

    private static object Json(ChainVerdict v) => new
    {
        intact = v.Intact,
        summary = v.Summary,
        entries = v.Entries,
        head = v.Head is { } h ? new { id = h.Id, hash = h.Hash } : null,
        firstBreak = v.FirstBreak is { } b ? new { entry = b.EntryId, kind = b.KindText, what = b.What } : null,
        legacyEntries = v.LegacyEntries,
        legacyForks = v.LegacyForks.Select(f => new { entry = f.EntryId, follows = f.Follows }),
        anchor = v.Anchor is { } a ? new { id = a.Anchor.Id, hash = a.Anchor.Hash, holds = a.Holds, what = a.What } : null,
    };
}
