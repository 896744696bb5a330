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
    };

    public static void Apply(IConfigurationBuilder configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Settings });
}
