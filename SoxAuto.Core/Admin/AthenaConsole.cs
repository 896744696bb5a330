using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Engines.Athena;

namespace SoxAuto.Core.Admin;

/// <summary>The Athena settings an admin sees: where queries run.</summary>
public sealed record AthenaSetup(string WorkGroup, string Region, string Catalog);

/// <summary>One step of the connection check, passed or failed, with what was found.</summary>
public sealed record ConnectionStep(string Name, bool Passed, string Message);

public sealed record SchemaColumn(string Name, string Type, string? Comment, bool IsPartitionKey);

public sealed record SchemaTable(string Name, IReadOnlyList<SchemaColumn> Columns);

/// <summary>
/// What the Athena admin page asks of Athena: its settings, the connection check, and the data
/// catalog's databases and tables. Pages talk to this, never to engine types. In Local mode the Athena
/// services are not registered at all, so they are looked up here, once: <see cref="Setup"/> is then null.
/// </summary>
public sealed class AthenaConsole(IServiceProvider services)
{
    private readonly AthenaEngine? _engine = services.GetService<AthenaEngine>();
    private readonly AthenaCatalog? _catalog = services.GetService<AthenaCatalog>();
    private readonly AthenaConnectionCheck? _check = services.GetService<AthenaConnectionCheck>();

    /// <summary>Null unless SoxAuto runs its IPEs on Athena.</summary>
    public AthenaSetup? Setup => _engine is null || _catalog is null || _check is null
        ? null
        : new AthenaSetup(_engine.Options.WorkGroup, _engine.Options.EffectiveRegion, _engine.Options.Catalog);

    /// <summary>Who the credentials are, whether the workgroup exists, whether the output location can be read.</summary>
    public async Task<IReadOnlyList<ConnectionStep>> CheckConnectionAsync(CancellationToken ct)
        => (await Athena(_check).RunAsync(ct)).Select(s => new ConnectionStep(s.Name, s.Passed, s.Message)).ToList();

    /// <summary>The catalog's databases, or Athena's refusal in words for the admin.</summary>
    public async Task<(IReadOnlyList<string> Databases, string? Error)> DatabasesAsync(CancellationToken ct)
    {
        try
        {
            return (await Athena(_catalog).DatabasesAsync(ct), null);
        }
        catch (EngineException e)
        {
            return ([], e.Message);
        }
    }

    /// <summary>A database's tables with their columns (partition keys last), or Athena's refusal.</summary>
    public async Task<(IReadOnlyList<SchemaTable> Tables, string? Error)> TablesAsync(string database, CancellationToken ct)
    {
        try
        {
            var tables = await Athena(_catalog).TablesAsync(database, ct);
            return (tables.Select(t => new SchemaTable(t.Name,
                t.Columns.Select(c => new SchemaColumn(c.Name, c.Type, c.Comment, c.IsPartitionKey)).ToList())).ToList(), null);
        }
        catch (EngineException e)
        {
            return ([], e.Message);
        }
    }

    private static T Athena<T>(T? service) where T : class
        => service ?? throw new InvalidOperationException("SoxAuto does not run its IPEs on Athena (SoxAuto:Engine is Local).");
}
