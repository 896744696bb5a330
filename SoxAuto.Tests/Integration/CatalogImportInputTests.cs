using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Web.Components.Pages.Admin.Ipes;

namespace SoxAuto.Tests.Integration;

/// <summary>Issue 9, finding 7 (no input ends a circuit): JSON that an admin imports or types into the IPE
/// form may hold null where a definition promises a value. Each is a listed problem, never an exception
/// (which on the page would end the admin's circuit).</summary>
public class CatalogImportInputTests
{
    private static readonly Actor Beth = new("Beth Admin", "test", IsAdmin: true) { Subject = TestPeople.SubjectOf("Beth Admin") };

    [Fact]
    public async Task An_import_with_nulls_where_values_belong_lists_each_problem_and_creates_nothing()
    {
        await using var app = await CoreHost.StartAsync();
        var transfer = app.Get<CatalogTransfer>();
        var file = JsonNode.Parse(await transfer.ExportAsync(Beth))!;
        var ipes = file["ipes"]!.AsArray();
        ipes[0]!["glAccounts"] = null;
        ipes[1]!["parameters"] = new JsonArray((JsonNode?)null);
        ipes[2]!["checks"] = null;
        ipes[3]!["checks"]!["witnessRecords"] = JsonNode.Parse("""[{ "description": "no key" }]""");
        ipes[4]!["sql"] = null;
        ipes.Add(null);

        var report = await transfer.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(file.ToJsonString())), "nulls.json", Beth);

        Assert.Empty(report.Drafts);
        Assert.Contains($"nulls.json: IPE number {ipes.Count} in the file has no id.", report.Problems);
        foreach (var what in new[] { "a G/L account", "a parameter or its name", "the check settings", "a witness record or its key", "the SQL" })
            Assert.Contains(report.Problems, p => p.EndsWith($"The definition has no value (null) for {what}.", StringComparison.Ordinal));
        Assert.All(await app.Get<IpeChanges>().OverviewAsync(), o => Assert.Equal(1, o.Latest.Number));
    }

    [Fact]
    public async Task The_IPE_forms_JSON_fields_with_nulls_are_problems_not_exceptions()
    {
        await using var app = await CoreHost.StartAsync();
        var form = IpeForm.From(SeedCatalog.All.Single(i => i.Id == "IPE_09"));
        form.ControlTotalQueries = "[null]";
        form.WitnessRecords = """[{ "description": "no key" }]""";
        var (definition, formProblems) = form.ToDefinition();
        Assert.Empty(formProblems);

        var problems = await app.Get<IpeChanges>().CheckAsync(definition!, Beth);

        Assert.Equal(
            ["The definition has no value (null) for a control-total query.", "The definition has no value (null) for a witness record or its key."],
            problems.Select(p => p.Message));
        var trial = await Assert.ThrowsAsync<IpeChangeException>(() => app.Get<IpeChanges>().TrialAsync(definition!, "2025-09", null, Beth));
        Assert.NotEmpty(trial.Problems);
    }
}
