using System.Globalization;
using System.Text;
using SoxAuto.Core.Catalog;

namespace SoxAuto.Core.Engines.Athena;

/// <summary>
/// Reads a query's Iceberg tables as of a past time on Athena: finds the tables the query reads
/// (<see cref="TableReferences"/>), asks the catalog (GetTableMetadata) which are Iceberg, and writes
/// <c>FOR TIMESTAMP AS OF TIMESTAMP '... UTC'</c> after each of those names, as Athena engine version 3 reads it.
/// Nothing else of the query changes: its typed parameters are already in it as literals, the time is formatted here
/// from a <see cref="DateTimeOffset"/>. A table of another catalog than the configured one, or one already read
/// AS OF, is left as written.
/// </summary>
internal static class IcebergAsOf
{
    public static async Task<string> RewriteAsync(AthenaEngine engine, string sql, string database, DateTimeOffset at, CancellationToken ct)
    {
        var catalog = new AthenaCatalog(engine);
        var references = TableReferences.Find(sql)
            .Where(r => r.AsOf is null && (r.Catalog is null || string.Equals(r.Catalog, engine.Options.Catalog, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        var iceberg = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in references)
        {
            var name = r.Qualified(database);
            if (!iceberg.ContainsKey(name))
                iceberg[name] = (await catalog.TableAsync(r.Database ?? database, r.Table, ct)).IsIceberg;
        }
        var clause = " FOR TIMESTAMP AS OF " + Literal(at);
        var text = new StringBuilder(sql);
        // From the end, so that the offsets of the earlier names still hold.
        foreach (var r in references.Where(r => iceberg[r.Qualified(database)]).OrderByDescending(r => r.Offset))
            text.Insert(r.Offset + r.Length, clause);
        return text.ToString();
    }

    /// <summary>A timestamp-with-time-zone literal in UTC to the millisecond (Iceberg records its snapshots' times
    /// in milliseconds), e.g. <c>TIMESTAMP '2026-12-01 20:01:02.123 UTC'</c>.</summary>
    public static string Literal(DateTimeOffset at) =>
        "TIMESTAMP '" + at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + " UTC'";
}
