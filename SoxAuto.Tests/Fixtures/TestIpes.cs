using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;

namespace SoxAuto.Tests.Fixtures;

/// <summary>IPEs that exist only for tests: the test orders the page tests seed, and any IPE a test
/// needs (a slow query, a broken one), added as an approved version.</summary>
public static class TestIpes
{
    /// <summary>A cross join that DuckDB needs many seconds for: long enough to cancel or interrupt.</summary>
    public const string SlowSql =
        "SELECT count(*) AS n FROM range(300000) a CROSS JOIN range(300000) b WHERE (a.range * b.range) % 7 = 3 AND {{period_end}} IS NOT NULL";

    public const string OrdersSql = "SELECT * FROM orders WHERE order_date >= {{period_start}} AND order_date < {{next_period_start}}";

    /// <summary>Test orders in process_pg_bob, with the SQL a test needs.</summary>
    public static IpeDefinition Orders(string sql = OrdersSql) => Definition("IPE_T1", sql) with
    {
        Title = "Test orders",
        Description = "Every test order of the period.",
        Control = "C-TEST-1",
    };

    public static IpeDefinition Definition(string id, string sql) => new()
    {
        Id = id,
        Title = id,
        Description = "test",
        Control = "C-TEST",
        Database = "process_pg_bob",
        Sql = sql,
    };

    public static Task AddAsync(IServiceProvider services, string id, string sql) => AddAsync(services, Definition(id, sql));

    public static async Task AddAsync(IServiceProvider services, IpeDefinition definition)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        db.IpeVersions.Add(new IpeVersion
        {
            IpeId = definition.Id,
            Number = 1,
            Status = IpeVersionStatus.Active,
            AuthoredBy = "test",
            AuthoredBySubject = TestPeople.SubjectOf("test"),
            ApprovedBy = "test2",
            Definition = definition,
        });
        await db.SaveChangesAsync();
    }
}
