using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;

namespace SoxAuto.Tests.Fixtures;

/// <summary>IPEs that exist only for a test (a slow query, a broken one), added as approved versions.</summary>
public static class TestIpes
{
    /// <summary>A cross join that DuckDB needs many seconds for: long enough to cancel or interrupt.</summary>
    public const string SlowSql =
        "SELECT count(*) AS n FROM range(300000) a CROSS JOIN range(300000) b WHERE (a.range * b.range) % 7 = 3 AND {{period_end}} IS NOT NULL";

    public static async Task AddAsync(IServiceProvider services, string id, string sql)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        db.IpeVersions.Add(new IpeVersion
        {
            IpeId = id,
            Number = 1,
            Status = IpeVersionStatus.Active,
            AuthoredBy = "test",
            ApprovedBy = "test2",
            Definition = new IpeDefinition
            {
                Id = id,
                Title = id,
                Description = "test",
                Control = "C-TEST",
                Database = "process_pg_bob",
                Sql = sql,
            },
        });
        await db.SaveChangesAsync();
    }
}
