using SoxAuto.Core.Catalog;

namespace SoxAuto.Tests.Core.Catalog;

/// <summary>Which tables a query reads, as a reperformance must know them to read Iceberg tables as of a time.</summary>
public sealed class TableReferencesTests
{
    private static List<string> Tables(string sql) => [.. TableReferences.Find(sql).Select(r => r.Qualified("dflt"))];

    [Fact]
    public void Tables_after_FROM_and_JOIN_are_found_with_or_without_an_alias_and_unqualified_ones_take_the_default_database()
    {
        var sql = """
            SELECT o.order_id, c.name
            FROM sales.orders o
            JOIN customers AS c ON c.id = o.customer_id
            LEFT OUTER JOIN sales.lines l ON l.order_id = o.order_id
            CROSS JOIN regions
            """;
        Assert.Equal(["sales.orders", "dflt.customers", "sales.lines", "dflt.regions"], Tables(sql));
    }

    [Fact]
    public void Every_table_of_a_comma_separated_FROM_list_is_found_also_after_a_subquery()
    {
        Assert.Equal(["dflt.a", "db.b", "dflt.c", "dflt.d"],
            Tables("SELECT * FROM a x, db.b AS y, (SELECT 1 AS n FROM c) z, d WHERE x.id = y.id"));
    }

    [Fact]
    public void A_comma_after_a_JOIN_condition_starts_another_table_but_commas_of_functions_and_other_clauses_do_not()
    {
        var sql = """
            SELECT a.x, coalesce(b.y, 0) AS y
            FROM a JOIN b ON b.id = a.id AND b.k IN (1, 2), c
            CROSS JOIN d USING (id, k), e
            WHERE a.x IN (SELECT x FROM f, g) GROUP BY a.x, y ORDER BY 1, 2
            """;
        Assert.Equal(["dflt.a", "dflt.b", "dflt.c", "dflt.d", "dflt.e", "dflt.f", "dflt.g"], Tables(sql));
    }

    [Fact]
    public void Names_a_WITH_clause_defines_are_not_tables_but_the_tables_inside_its_queries_are()
    {
        var sql = """
            WITH RECURSIVE open_orders (id) AS (SELECT order_id FROM sales.orders WHERE status = 'OPEN'),
                 totals AS MATERIALIZED (SELECT id, 1 AS n FROM open_orders JOIN lines ON lines.order_id = open_orders.id)
            SELECT * FROM totals, open_orders JOIN db.open_orders ON true
            """;
        // db.open_orders is qualified: a table of the catalog, not the query's own name.
        Assert.Equal(["sales.orders", "dflt.lines", "db.open_orders"], Tables(sql));
    }

    [Fact]
    public void FROM_and_JOIN_inside_comments_and_string_literals_are_no_tables()
    {
        var sql = """
            -- FROM commented_out
            SELECT 'FROM quoted JOIN strings' AS note /* FROM block_comment */
            FROM real_table -- JOIN trailing
            WHERE note <> 'x FROM y'
            """;
        Assert.Equal(["dflt.real_table"], Tables(sql));
    }

    [Fact]
    public void Quoted_names_are_taken_as_written_and_unquoted_ones_as_Athena_folds_them()
    {
        var refs = TableReferences.Find(""""SELECT * FROM "Sales"."Order ""Lines""" JOIN AwsDataCatalog.Sales.Orders ON true"""");
        Assert.Equal(("Sales", "Order \"Lines\""), (refs[0].Database, refs[0].Table));
        Assert.Equal(("awsdatacatalog", "sales", "orders"), (refs[1].Catalog, refs[1].Database, refs[1].Table));
    }

    [Fact]
    public void The_span_of_each_reference_is_the_name_as_written_so_a_clause_can_follow_it()
    {
        var sql = "SELECT * FROM \"db\".t1 AS a JOIN t2 b ON a.id = b.id";
        var refs = TableReferences.Find(sql);
        Assert.Equal(["\"db\".t1", "t2"], refs.Select(r => sql.Substring(r.Offset, r.Length)));
    }

    [Fact]
    public void Subqueries_table_functions_and_FROM_as_an_argument_are_read_for_what_they_are()
    {
        var sql = """
            SELECT EXTRACT(YEAR FROM o.created_at) AS y, TRIM(BOTH ' ' FROM o.name) AS n, SUBSTRING(o.code FROM 2) AS c
            FROM (SELECT * FROM (SELECT * FROM inner_most) i) o
            CROSS JOIN UNNEST(o.tags) AS t (tag)
            WHERE o.a IS DISTINCT FROM o.b AND o.id IN (SELECT id FROM allowed)
            """;
        Assert.Equal(["dflt.inner_most", "dflt.allowed"], Tables(sql));
    }

    [Fact]
    public void An_AS_OF_clause_already_written_after_a_table_is_read_with_it()
    {
        var sql = "SELECT * FROM db.t FOR TIMESTAMP AS OF TIMESTAMP '2026-12-01 20:00:00.000 UTC' AS x JOIN u FOR VERSION AS OF 42 y ON true JOIN v ON true";
        var refs = TableReferences.Find(sql);
        Assert.Equal(["db.t", "dflt.u", "dflt.v"], refs.Select(r => r.Qualified("dflt")));
        Assert.Equal("FOR TIMESTAMP AS OF TIMESTAMP '2026-12-01 20:00:00.000 UTC'", refs[0].AsOf);
        Assert.Equal("FOR VERSION AS OF 42", refs[1].AsOf);
        Assert.Null(refs[2].AsOf);
    }
}
