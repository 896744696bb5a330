using System.Text.Json.Nodes;

namespace SoxAuto.Core.Engines.Athena;

public sealed record CatalogColumn(string Name, string Type, string? Comment, bool IsPartitionKey);

/// <param name="Parameters">The table's properties in the Glue catalog, e.g. <c>table_type</c> = <c>ICEBERG</c>.</param>
public sealed record CatalogTable(string Name, string? TableType, IReadOnlyList<CatalogColumn> Columns, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>An Apache Iceberg table, which keeps its snapshots and can be read <c>FOR TIMESTAMP AS OF</c>. Athena
    /// reports the Glue table property <c>table_type</c> = <c>ICEBERG</c> for one (its TableType stays EXTERNAL_TABLE).</summary>
    public bool IsIceberg => Parameters.TryGetValue("table_type", out var type) && string.Equals(type, "ICEBERG", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Browses Athena's data catalog for admins (the schema panel, later the SQL editor):
/// ListDatabases, ListTableMetadata and GetTableMetadata, following NextToken.</summary>
public sealed class AthenaCatalog(AthenaEngine engine)
{
    private string Catalog => engine.Options.Catalog;

    public async Task<IReadOnlyList<string>> DatabasesAsync(CancellationToken ct)
    {
        var names = new List<string>();
        await foreach (var page in PagesAsync("ListDatabases", new JsonObject { ["CatalogName"] = Catalog, ["MaxResults"] = 50 }, ct))
            foreach (var db in page["DatabaseList"] as JsonArray ?? [])
                if ((string?)db?["Name"] is { } name) names.Add(name);
        return names;
    }

    public async Task<IReadOnlyList<CatalogTable>> TablesAsync(string database, CancellationToken ct)
    {
        var tables = new List<CatalogTable>();
        var request = new JsonObject { ["CatalogName"] = Catalog, ["DatabaseName"] = database, ["MaxResults"] = 50 };
        await foreach (var page in PagesAsync("ListTableMetadata", request, ct))
            foreach (var t in page["TableMetadataList"] as JsonArray ?? [])
                if (t is JsonObject table) tables.Add(Table(table));
        return tables;
    }

    public async Task<CatalogTable> TableAsync(string database, string table, CancellationToken ct)
    {
        var page = await CallAsync("GetTableMetadata",
            new JsonObject { ["CatalogName"] = Catalog, ["DatabaseName"] = database, ["TableName"] = table }, ct);
        return Table(page["TableMetadata"] as JsonObject ?? throw new EngineException($"Athena returned no metadata for {database}.{table}."));
    }

    private static CatalogTable Table(JsonObject t)
    {
        static IEnumerable<CatalogColumn> Cols(JsonNode? list, bool partition) =>
            (list as JsonArray ?? []).OfType<JsonObject>().Select(c =>
                new CatalogColumn((string?)c["Name"] ?? "", (string?)c["Type"] ?? "", (string?)c["Comment"], partition));
        var parameters = (t["Parameters"] as JsonObject ?? []).Where(p => p.Value is JsonValue)
            .ToDictionary(p => p.Key, p => (string?)p.Value ?? "", StringComparer.Ordinal);
        return new CatalogTable((string?)t["Name"] ?? "", (string?)t["TableType"],
            Cols(t["Columns"], false).Concat(Cols(t["PartitionKeys"], true)).ToList(), parameters);
    }

    private async IAsyncEnumerable<JsonObject> PagesAsync(string operation, JsonObject request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? next = null;
        do
        {
            var r = (JsonObject)request.DeepClone();
            if (next is not null) r["NextToken"] = next;
            var page = await CallAsync(operation, r, ct);
            yield return page;
            next = (string?)page["NextToken"];
        } while (next is not null);
    }

    private async Task<JsonObject> CallAsync(string operation, JsonObject request, CancellationToken ct)
    {
        try
        {
            return await engine.Client.CallAsync(operation, request, ct);
        }
        catch (AthenaApiException e)
        {
            throw new EngineException($"Athena refused {operation}: {e.ErrorType}: {e.AwsMessage}", e);
        }
    }
}
