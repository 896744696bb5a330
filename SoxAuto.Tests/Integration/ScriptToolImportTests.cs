using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>Issue 14, item 4: the earlier script-based tool's IPE configuration, imported through the admin import
/// (the same service the page and the <c>import</c> verb call) as drafts that need another admin's approval.</summary>
public class ScriptToolImportTests
{
    private static readonly Actor Alan = new("Alan Admin", "test", IsAdmin: true) { Subject = TestPeople.SubjectOf("Alan Admin") };
    private static readonly Actor Beth = new("Beth Admin", "test", IsAdmin: true) { Subject = TestPeople.SubjectOf("Beth Admin") };

    private static string Ipe09Sql => SeedCatalog.All.Single(i => i.Id == "IPE_09").Sql;

    /// <summary>The earlier tool's file: IPE_09 with its own results location, a new IPE, and a SQL Server entry.</summary>
    internal static string EarlierToolFile() => new JsonArray(
        new JsonObject
        {
            ["ipe_id"] = "IPE_09",
            ["athena_database"] = SeedCatalog.WebShop,
            ["athena_s3_output"] = "s3://team-results/ipe09/",
            ["query"] = Ipe09Sql,
        },
        new JsonObject
        {
            ["ipe_id"] = "IPE_51",
            ["athena_database"] = SeedCatalog.WebShop,
            ["athena_s3_output"] = "s3://team-results/ipe51",
            ["query"] = "SELECT order_id, total_amount FROM pg_bob_sales_order WHERE order_date < DATE '2025-10-01'",
        },
        new JsonObject
        {
            ["ipe_id"] = "IPE_02",
            ["secret_name"] = "prod/sqlserver/erp",
            ["query"] = "SELECT TOP 100 * FROM dbo.GLBalances WITH (NOLOCK)",
        }).ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>A file that leaves the seed IPEs as they are: a new IPE and a SQL Server entry.</summary>
    internal const string NewIpeAndSqlServerFile = """
        [{ "ipe_id": "IPE_61", "athena_database": "process_pg_bob", "athena_s3_output": "s3://team-results/ipe61/", "query": "SELECT order_id FROM pg_bob_sales_order" },
         { "ipe_id": "IPE_02", "secret_name": "prod/sqlserver/erp", "query": "SELECT TOP 10 * FROM dbo.GL" }]
        """;

    private static Stream Utf8(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task The_earlier_tools_Athena_entries_become_drafts_keeping_their_results_location_and_SQL_Server_entries_are_reported()
    {
        await using var app = await CoreHost.StartAsync();
        var report = await app.Get<CatalogTransfer>().ImportAsync(Utf8(EarlierToolFile()), "ipes.json", Alan);

        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Equal(["IPE_09", "IPE_51"], report.Drafts.Select(d => d.IpeId));
        Assert.All(report.Drafts, d => Assert.Equal((IpeChangeKind.Import, IpeVersionStatus.Draft), (d.ChangeKind, d.Status)));
        var ipe09 = report.Drafts[0].Definition;
        Assert.Equal("s3://team-results/ipe09/", ipe09.OutputLocation);
        // An IPE the catalog knows keeps its title, control and checks; only the database, query and location come from the file.
        var seed09 = SeedCatalog.All.Single(i => i.Id == "IPE_09");
        Assert.Equal(JsonSerializer.Serialize(seed09 with { OutputLocation = "s3://team-results/ipe09/" }), JsonSerializer.Serialize(ipe09));
        var ipe51 = report.Drafts[1].Definition;
        Assert.Equal(("IPE_51", CatalogTransfer.NoControlYet, "s3://team-results/ipe51"), (ipe51.Title, ipe51.Control, ipe51.OutputLocation));

        var skipped = Assert.Single(report.Skipped);
        Assert.Equal(("IPE_02", 14), (skipped.IpeId, skipped.Line));
        Assert.Contains("T-SQL query must be translated to Athena SQL", skipped.Reason);

        // Drafts, not the catalog: auditors still run version 1 until another admin approves.
        Assert.Equal(1, (await app.Get<IpeCatalog>().ActiveAsync("IPE_09"))!.Number);
        Assert.Null(await app.Get<IpeCatalog>().ActiveAsync("IPE_51"));
        await Assert.ThrowsAsync<SegregationOfDutiesException>(() => app.Get<IpeChanges>().ApproveAsync(report.Drafts[0].Id, null, Alan));
        await app.Get<IpeChanges>().ApproveAsync(report.Drafts[0].Id, null, Beth);
        Assert.Equal("s3://team-results/ipe09/", (await app.Get<IpeCatalog>().ActiveAsync("IPE_09"))!.Definition.OutputLocation);
    }

    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "invalid JSON", "[\n  { \"ipe_id\": \"IPE_51\",\n    \"query\": \"SELECT 1\" \n", "not valid JSON (line 4" },
        { "missing query", "[\n  {\n    \"ipe_id\": \"IPE_51\",\n    \"athena_database\": \"process_pg_bob\"\n  }\n]", "Line 2 (IPE_51): the entry has no query." },
        { "unknown key", "{\n  \"ipe_id\": \"IPE_51\",\n  \"athena_database\": \"process_pg_bob\",\n  \"query\": \"SELECT 1 AS one\",\n  \"athena_workgroup\": \"primary\"\n}", "Line 5: unknown key 'athena_workgroup'" },
        { "SQL the engine refuses", "[{ \"ipe_id\": \"IPE_51\", \"athena_database\": \"process_pg_bob\", \"query\": \"SELECT * FROM no_such_table\" }]", "Line 1 (IPE_51): The engine does not accept the query" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_in_the_earlier_tools_format_is_refused_whole_with_line_and_reason(string what, string badEntry, string expected)
    {
        await using var app = await CoreHost.StartAsync();
        // A good entry first: it must not be created either.
        var text = badEntry.StartsWith('[') ? badEntry.Insert(1, $$"""{ "ipe_id": "IPE_09", "athena_database": "process_pg_bob", "athena_s3_output": "s3://team-results/x/", "query": {{JsonSerializer.Serialize(Ipe09Sql)}} },""") : badEntry;

        var report = await app.Get<CatalogTransfer>().ImportAsync(Utf8(text), "bad.json", Alan);

        Assert.False(report.Ok, what);
        Assert.Empty(report.Drafts);
        Assert.Contains(report.Problems, p => p.Contains(expected, StringComparison.Ordinal));
        Assert.All(await app.Get<IpeChanges>().OverviewAsync(), o => Assert.Equal(1, o.Latest.Number));
        Assert.DoesNotContain(await app.Get<IpeChanges>().OverviewAsync(), o => o.IpeId == "IPE_51");
    }

    [Fact]
    public async Task The_import_verb_prints_the_report_as_JSON_and_exits_1_creating_nothing_for_a_bad_file()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        var good = Path.Combine(data.Folder.Root, "ipes.json");
        var bad = Path.Combine(data.Folder.Root, "bad.json");
        await File.WriteAllTextAsync(good, EarlierToolFile());
        await File.WriteAllTextAsync(bad, "[{ \"ipe_id\": \"IPE_52\", \"athena_database\": \"process_pg_bob\" }]");

        var (refused, refusedOut, _) = await ChildProcess.HeadlessAsync(data.Folder.Root, "import", bad);
        Assert.Equal(1, refused);
        using (var report = JsonDocument.Parse(refusedOut))
        {
            Assert.False(report.RootElement.GetProperty("ok").GetBoolean());
            Assert.Equal(["bad.json: Line 1 (IPE_52): the entry has no query."],
                report.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()));
        }

        var (imported, stdout, stderr) = await ChildProcess.HeadlessAsync(data.Folder.Root, "import", good);
        Assert.True(imported == 0, stderr);
        using var printed = JsonDocument.Parse(stdout);
        var root = printed.RootElement;
        Assert.True(root.GetProperty("ok").GetBoolean());
        Assert.Equal(["IPE_09 v2", "IPE_51 v1"], root.GetProperty("drafts").EnumerateArray()
            .Select(d => $"{d.GetProperty("ipe").GetString()} v{d.GetProperty("version").GetInt32()}"));
        var skipped = Assert.Single(root.GetProperty("skipped").EnumerateArray());
        Assert.Equal(("IPE_02", 14), (skipped.GetProperty("ipe").GetString(), skipped.GetProperty("line").GetInt32()));
        Assert.Contains("T-SQL", skipped.GetProperty("reason").GetString());
    }
}
