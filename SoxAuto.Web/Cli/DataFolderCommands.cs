using System.Text.Json;
using SoxAuto.Core;
using SoxAuto.Core.Backup;

namespace SoxAuto.Web.Cli;

/// <summary>
/// <c>backup --out FILE</c>: a consistent copy of the database while SoxAuto runs (SQLite's online backup);
/// <c>verify-data-folder</c>: checks a data folder, e.g. one just restored: the audit chain and every evidence file's
/// SHA-256. Both print one JSON object on standard output, messages on standard error; exit code 0 only
/// when the backup was written / the check passed. See docs/operations/deployment.md.
/// </summary>
public static class DataFolderCommands
{
    public const string BackupVerb = "backup";
    public const string VerifyVerb = "verify-data-folder";

    public static async Task<int> BackupAsync(CommandLine command)
    {
        var (settings, rest) = Split(command);
        if (rest is not ["--out", var file])
        {
            await Console.Error.WriteLineAsync("Usage: backup --out <file> [--SoxAuto:DataPath=<folder>]  (the file must not exist yet)");
            return 2;
        }
        await using var app = Build(settings);
        try
        {
            var bytes = app.Services.GetRequiredService<DatabaseBackup>().WriteTo(file);
            var output = Path.GetFullPath(file);
            Console.WriteLine(JsonSerializer.Serialize(new { backup = output, bytes, database = app.Services.GetRequiredService<DataFolder>().DatabaseFile }, Json));
            await Console.Error.WriteLineAsync($"The database was copied to {output}. Now copy the data folder's evidence and keys (docs/operations/deployment.md).");
            return 0;
        }
        catch (BackupException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    public static async Task<int> VerifyAsync(CommandLine command)
    {
        var (settings, rest) = Split(command);
        if (rest.Count > 0)
        {
            await Console.Error.WriteLineAsync("Usage: verify-data-folder [--SoxAuto:DataPath=<folder>]");
            return 2;
        }
        await using var app = Build(settings);
        RestoreCheck.Outcome outcome;
        try
        {
            outcome = await app.Services.GetRequiredService<RestoreCheck>().RunAsync();
        }
        catch (BackupException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            passed = outcome.Passed,
            auditEntries = outcome.AuditEntries,
            firstBrokenAuditEntry = outcome.FirstBrokenAuditEntry,
            evidenceFiles = outcome.EvidenceFiles,
            problems = outcome.Problems,
        }, Json));
        foreach (var problem in outcome.Problems) await Console.Error.WriteLineAsync(problem);
        return outcome.Passed ? 0 : 1;
    }

    /// <summary>Configuration overrides (--SoxAuto:DataPath=...) may come before or after the verb.</summary>
    private static (string[] Settings, List<string> Words) Split(CommandLine command)
    {
        var settings = command.VerbArgs.Where(IsSetting);
        return ([.. command.HostArgs, .. settings], command.VerbArgs.Where(a => !IsSetting(a)).ToList());
    }

    private static bool IsSetting(string a) => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=');

    private static WebApplication Build(string[] settings)
    {
        var builder = WebApplication.CreateBuilder(settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.AddSoxAutoCore();
        var app = builder.Build();
        StartupRefusal.CheckSettings(app.Services);
        return app;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
