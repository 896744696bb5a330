using SoxAuto.Core.Catalog;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>Issue 9, finding 6, end to end: the probe's IPE (saved before placeholders in comments were
/// refused) and its value <c>EC_NG⏎OR 1=1 --</c> returned all 43,336 vouchers instead of EC_NG's. Through the
/// real services (SQLite, DuckDB over the demo lake, the worker) it is now refused, and the same filter
/// written safely returns only what it should, whatever quotes the value holds.</summary>
public class ParameterInjectionRunTests
{
    private static readonly Actor Ada = new("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") };

    private static IpeDefinition VoucherIpe(string id, string sql) => new()
    {
        Id = id,
        Title = "Vouchers of one company",
        Description = "The probe's IPE.",
        Control = "C-PG-1",
        Database = "process_pg_bob",
        Sql = sql,
        Parameters = [new ParameterDefinition("company", ParameterType.Text)],
    };

    [Fact]
    public async Task The_probed_exploit_is_refused_and_the_same_filter_in_code_returns_only_its_company()
    {
        await using var app = await CoreHost.StartAsync();
        // Seeding writes active versions without validation, as an IPE approved before the rule was.
        await app.Get<IpeCatalog>().SeedAsync(
        [
            VoucherIpe("IPE_PROBED", "SELECT voucher_code FROM pg_bob_voucher\nWHERE company = {{company}} -- company filter: {{company}}"),
            VoucherIpe("IPE_SAFE", "SELECT voucher_code FROM pg_bob_voucher\nWHERE company = {{company}} -- company filter"),
        ]);
        var runs = app.Get<RunService>();
        Task<Run> Request(string ipe, string company) =>
            runs.RequestAsync(ipe, "2025-09", new Dictionary<string, string> { ["company"] = company }, Ada);

        var exploit = await Assert.ThrowsAsync<RunRequestException>(() => Request("IPE_PROBED", "EC_NG\nOR 1=1 --"));
        Assert.Contains("line break", exploit.Message);
        var stillUnsafe = await Assert.ThrowsAsync<RunRequestException>(() => Request("IPE_PROBED", "EC_NG"));
        Assert.Contains("A placeholder inside a comment", stillUnsafe.Message);
        await Assert.ThrowsAsync<RunRequestException>(() => Request("IPE_SAFE", "EC_NG\nOR 1=1 --"));

        var ecNg = await app.WaitForFinalAsync((await Request("IPE_SAFE", "EC_NG")).Id);
        Assert.True(ecNg.State == RunState.Succeeded, ecNg.Message);
        Assert.InRange(ecNg.RowCount!.Value, 1, 43_335);
        var quoted = await app.WaitForFinalAsync((await Request("IPE_SAFE", "EC_NG' OR '1'='1")).Id);
        Assert.True(quoted.State == RunState.Succeeded, quoted.Message);
        Assert.Equal(0, quoted.RowCount);
        Assert.Contains("company = 'EC_NG'' OR ''1''=''1' -- company filter", quoted.ExecutedSql);
    }
}
