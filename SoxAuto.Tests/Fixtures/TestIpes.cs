using SoxAuto.Core.Catalog;

namespace SoxAuto.Tests.Fixtures;

/// <summary>The IPE tests seed: test orders in process_pg_bob, with the SQL a test needs.</summary>
internal static class TestIpes
{
    public const string OrdersSql = "SELECT * FROM orders WHERE order_date >= {{period_start}} AND order_date < {{next_period_start}}";

    public static IpeDefinition Orders(string sql = OrdersSql) => new()
    {
        Id = "IPE_T1",
        Title = "Test orders",
        Description = "Every test order of the period.",
        Control = "C-TEST-1",
        Database = "process_pg_bob",
        Sql = sql,
    };
}
