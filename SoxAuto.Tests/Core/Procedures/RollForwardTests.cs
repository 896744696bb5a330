using System.Globalization;
using DuckDB.NET.Data;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.Procedures.RollForward;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Core.Evidence;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Procedures;

/// <summary>Roll-forward on the real services over the demo lake: September's runs against August's, with the
/// movements the lake has, computed here independently of SoxAuto.</summary>
public sealed class RollForwardTests
{
    private static readonly Actor Ada = new("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") };

    [Fact]
    public async Task The_G_L_balances_of_September_rolled_forward_from_August_move_by_September_s_net_change_per_company_and_account()
    {
        await using var app = await CoreHost.StartAsync();
        var rollForwards = app.Get<RollForwards>();
        var september = await SucceededAsync(app, "CR_04", "2025-09");

        var alone = (await rollForwards.OfAsync(september.Id, Ada, "/test"))!;
        Assert.Null(alone.PriorRunId);
        Assert.Equal("There is no succeeded run of CR_04 for the prior period 2025-08 that you may see; run it for 2025-08 first.", alone.NoPrior);

        var august = await SucceededAsync(app, "CR_04", "2025-08");
        var r = (await rollForwards.OfAsync(september.Id, Ada, "/test"))!;

        Assert.Equal((august.Id, "2025-08", "balance"), (r.PriorRunId, r.PriorPeriod, r.AmountColumn));
        Assert.True(r.KeysCompared);
        Assert.Equal((0L, 0L), (r.NewKeys, r.RemovedKeys)); // the same balances are listed every month
        // A balance at September's end less August's is September's net change (gl_balances, from gl_entries).
        var netChange = NetChangesOfSeptember();
        Assert.Equal(Sum(netChange, k => k.Company), r.ByCompany.ToDictionary(m => m.Group, m => m.ChangeAmount));
        Assert.Equal(Sum(netChange, k => k.Account), r.ByAccount.ToDictionary(m => m.Group, m => m.ChangeAmount));
        Assert.Equal(9, r.ByCompany.Count);
        Assert.Contains(r.ByCompany, m => m.ChangeAmount != 0);

        var (name, bytes) = (await rollForwards.ExportAsync(september.Id, Ada, "/test"))!.Value;
        Assert.Equal($"{september.FileStem}_roll-forward.xlsx", name);
        using (var workbook = new WorkbookReadBack(new MemoryStream(bytes)))
        {
            Assert.Equal(["Roll-forward", "New and removed keys"], workbook.SheetNames);
            var ke = workbook.Rows("Roll-forward").Select(row => row.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().Select(WorkbookReadBack.Text).ToArray())
                .Single(cells => cells.Length > 0 && cells[0] == "EC_KE");
            Assert.Equal(Sum(netChange, k => k.Company)["EC_KE"], decimal.Parse(ke[3]!, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        Assert.Equal(2, await db.AuditTrail.CountAsync(a => a.Action == "rollforward.viewed" && a.Subject == $"run/{september.Id}"));
        var exported = await db.AuditTrail.SingleAsync(a => a.Action == "rollforward.exported");
        Assert.Contains($"against run {august.Id} for 2025-08", exported.Detail);
    }

    [Fact]
    public async Task The_cash_on_delivery_packages_new_and_gone_between_August_and_September_are_those_of_the_two_extracts()
    {
        await using var app = await CoreHost.StartAsync();
        var august = await SucceededAsync(app, "IPE_12", "2025-08");
        var september = await SucceededAsync(app, "IPE_12", "2025-09");

        var r = (await app.Get<RollForwards>().OfAsync(september.Id, Ada, "/test"))!;

        // Computed here with SQL over the two stored extracts.
        var folder = app.Get<DataFolder>();
        string before = folder.Absolute(august.ExtractPath!), after = folder.Absolute(september.ExtractPath!);
        var added = Query($"SELECT package_id FROM {Csv(after)} EXCEPT SELECT package_id FROM {Csv(before)}");
        var gone = Query($"SELECT package_id FROM {Csv(before)} EXCEPT SELECT package_id FROM {Csv(after)}");
        Assert.NotEmpty(added);
        Assert.NotEmpty(gone);
        Assert.Equal((added.Count, gone.Count), ((int)r.NewKeys, (int)r.RemovedKeys));
        Assert.Subset(added.ToHashSet(), r.Keys.Where(k => k.Change == KeyChangeKind.New).Select(k => k.Key).ToHashSet());
        Assert.Subset(gone.ToHashSet(), r.Keys.Where(k => k.Change == KeyChangeKind.Removed).Select(k => k.Key).ToHashSet());
        var byCompany = Query($"SELECT company || '=' || CAST(SUM(CAST(cod_amount AS DECIMAL(18,2))) AS VARCHAR) FROM {Csv(after)} GROUP BY company");
        Assert.Equal(byCompany.Order(), r.ByCompany.Where(m => m.CurrentAmount != 0).Select(m => $"{m.Group}={m.Current}").Order());
    }

    [Fact]
    public async Task A_run_that_did_not_succeed_is_not_rolled_forward_and_another_person_s_run_is_not_found()
    {
        await using var app = await CoreHost.StartAsync();
        var run = await app.Get<RunService>().RequestAsync("IPE_12", "2025-09", null, Ada);
        await app.Get<RunService>().CancelAsync(run.Id, Ada);
        await app.WaitForFinalAsync(run.Id);

        var refused = await Assert.ThrowsAsync<RollForwardException>(() => app.Get<RollForwards>().OfAsync(run.Id, Ada, "/test"));
        Assert.Equal($"Run {run.Id} ended Cancelled and has no extract; only a succeeded run is rolled forward.", refused.Message);
        Assert.Null(await app.Get<RollForwards>().OfAsync(run.Id, new Actor("Bob Auditor", "test") { Subject = TestPeople.SubjectOf("Bob Auditor") }, "/test"));
    }

    private static async Task<Run> SucceededAsync(CoreHost app, string ipe, string period)
    {
        var run = await app.WaitForFinalAsync((await app.Get<RunService>().RequestAsync(ipe, period, null, Ada)).Id);
        Assert.Equal(RunState.Succeeded, run.State);
        return run;
    }

    private static Dictionary<(string Company, string Account), decimal> NetChangesOfSeptember()
    {
        var accounts = string.Join(", ", SeedCatalog.BalanceSheetAccounts.Select(a => $"'{a}'"));
        var lake = Path.Combine(SharedLake.Path, "process_central_fin_dwh", "gl_balances.parquet");
        return Query($"SELECT company_code || '|' || gl_account_no || '|' || CAST(net_change AS VARCHAR) FROM read_parquet('{lake}') "
                + $"WHERE month_end_date = DATE '2025-09-30' AND gl_account_no IN ({accounts})")
            .Select(line => line.Split('|'))
            .ToDictionary(p => (p[0], p[1]), p => decimal.Parse(p[2], CultureInfo.InvariantCulture));
    }

    private static Dictionary<string, decimal> Sum(Dictionary<(string Company, string Account), decimal> changes, Func<(string Company, string Account), string> by) =>
        changes.GroupBy(c => by(c.Key)).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));

    private static string Csv(string path) => $"read_csv('{path}', header = true, all_varchar = true, quote = '\"', escape = '\"')";

    private static List<string> Query(string sql)
    {
        using var con = new DuckDBConnection("DataSource=:memory:");
        con.Open();
        using var cmd = con.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(reader.GetString(0));
        return values;
    }
}
