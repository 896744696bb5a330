using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace SoxAuto.Core.Logs;

/// <summary>
/// How SoxAuto logs unless configured otherwise (docs/configuration.md, Logging): console lines carry their
/// scopes, so every line written while a run executes names it ("Run 12", RunId in JSON), whichever part
/// of SoxAuto or of a library wrote it. These are the lowest-priority settings: appsettings.json, the
/// environment (Logging__Console__FormatterName=json for JSON lines) and the command line override them.
/// </summary>
public static class LogDefaults
{
    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Logging:Console:FormatterOptions:IncludeScopes"] = "true",
        // The host logs a failed start (an address already in use) with its stack trace before SoxAuto can
        // explain it in one paragraph (StartupRefusal); a background service that stops the host is still
        // logged, at Critical.
        ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "Critical",
    };

    public static void Apply(IConfigurationBuilder configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Settings });
}
