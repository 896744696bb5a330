using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;

namespace SoxAuto.Core.Admin;

/// <summary>
/// SoxAuto's settings come from files and the environment, outside the app, so the app can only notice a
/// change when it starts. Each start of the web app is recorded (<c>app.started</c>, with every
/// <c>SoxAuto:*</c> setting in effect), and so is each setting that differs from the previous start's
/// (<c>settings.changed</c>, old and new value): a changed role mapping, engine or sign-in mode is a change
/// to an in-scope system that an auditor asks about. Secrets are recorded only as set or not set.
/// </summary>
public sealed class SettingsRecord(IConfiguration configuration, IHostEnvironment environment, IDbContextFactory<SoxAutoDb> dbs, AuditTrail audit)
{
    public const string Started = "app.started", Changed = "settings.changed";
    private const string Marker = "; settings: ";

    public async Task RecordStartAsync(CancellationToken ct)
    {
        var now = Current();
        string? before;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            before = await db.AuditTrail.AsNoTracking().Where(a => a.Action == Started).OrderByDescending(a => a.Id).Select(a => a.Detail).FirstOrDefaultAsync(ct);
        await audit.RecordAsync("system", Started, "app",
            $"SoxAuto started in the {environment.EnvironmentName} environment on {Environment.MachineName} (process {Environment.ProcessId})"
            + Marker + JsonSerializer.Serialize(now), "system", ct);
        if (before is null || Parse(before) is not { } previous) return;
        var changes = previous.Keys.Union(now.Keys).Order(StringComparer.OrdinalIgnoreCase)
            .Where(k => previous.GetValueOrDefault(k) != now.GetValueOrDefault(k))
            .Select(k => $"{k}: {previous.GetValueOrDefault(k) ?? "(not set)"} -> {now.GetValueOrDefault(k) ?? "(not set)"}")
            .ToList();
        if (changes.Count > 0)
            await audit.RecordAsync("system", Changed, "settings", string.Join("; ", changes), "system", ct);
    }

    /// <summary>Every SoxAuto:* setting with a value, by key; secrets as "(set)".</summary>
    public SortedDictionary<string, string> Current()
    {
        var settings = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in configuration.GetSection(SoxAutoOptions.Section).AsEnumerable())
            if (value is not null)
                settings[key] = IsSecret(key) ? "(set)" : value;
        return settings;
    }

    private static bool IsSecret(string key)
    {
        var name = key[(key.LastIndexOf(':') + 1)..];
        return name.Contains("Secret", StringComparison.OrdinalIgnoreCase) || name.Contains("Password", StringComparison.OrdinalIgnoreCase)
            || name.Contains("Token", StringComparison.OrdinalIgnoreCase) || name.Contains("Credential", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The settings a previous start recorded; null when they cannot be read back (e.g. cut at the detail's limit).</summary>
    private static Dictionary<string, string>? Parse(string detail)
    {
        var at = detail.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0) return null;
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(detail[(at + Marker.Length)..]) is { } d
                ? new Dictionary<string, string>(d, StringComparer.OrdinalIgnoreCase)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
