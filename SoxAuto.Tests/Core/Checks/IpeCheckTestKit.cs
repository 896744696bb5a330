using SoxAuto.Core.Catalog;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Extract;
using SoxAuto.Core.Periods;

namespace SoxAuto.Tests.Core.Checks;

/// <summary>
/// A G/L-like IPE with every check declared, its control query answered by a given result (what the engine
/// returned), and a pass that feeds all of a run's checks the same rows, guarded as the evidence writer
/// guards them. The engine itself is exercised by the run tests (DuckDB and the Athena emulator).
/// </summary>
internal static class IpeCheckTestKit
{
    public static readonly Period September = Period.Month(2025, 9);

    public static readonly string[] Header = ["entry_no", "company_code", "gl_account_no", "posting_date", "amount"];

    public const string ControlSql = "SELECT company_code, gl_account_no, COUNT(*) AS row_count, SUM(amount) AS amount FROM gl_entries "
        + "WHERE company_code IN ('EC_NG', 'JD_GH') GROUP BY company_code, gl_account_no";

    public static readonly CheckSettings Settings = new()
    {
        RequiredColumns = ["entry_no", "amount"],
        DateColumn = "posting_date",
        KeyColumns = ["entry_no"],
        AmountColumns = ["amount"],
        CompanyColumn = "company_code",
        CompanyParameter = "companies",
        GlAccountColumn = "gl_account_no",
        ControlTotalQueries = [new("Entries per company and account", ControlSql)],
        WitnessRecords =
        [
            new("The first entry", new Dictionary<string, string> { ["entry_no"] = "1" }, MustBePresent: true, Period: "2025-09"),
            new("A reversed entry", new Dictionary<string, string> { ["entry_no"] = "99" }, MustBePresent: false, Period: "2025-09"),
        ],
    };

    public static readonly IReadOnlyList<ParameterValue> Parameters = [new("companies", ParameterType.TextList, ["EC_NG", "JD_GH"])];

    /// <summary>Three good entries in September.</summary>
    public static TestRow[] GoodRows() =>
    [
        new("1", "EC_NG", "13003", "2025-09-01", "10.00"),
        new("2", "EC_NG", "13004", "2025-09-15", "5.50"),
        new("3", "JD_GH", "13003", "2025-09-30", "-1.25"),
    ];

    /// <summary>What the engine's control query returns for <see cref="GoodRows"/>.</summary>
    public static ControlAnswer GoodAnswer() => Answer(
        ["EC_NG", "13003", "1", "10.00"],
        ["EC_NG", "13004", "1", "5.50"],
        ["JD_GH", "13003", "1", "-1.25"]);

    public static ControlAnswer Answer(params string?[][] rows) => new(ControlSql, "exec-42",
        [new("company_code", "varchar"), new("gl_account_no", "varchar"), new("row_count", "bigint"), new("amount", "decimal(38,2)")],
        rows, TimeSpan.FromMilliseconds(12));

    /// <summary>Every check of a run of this IPE, fed <paramref name="rows"/>; outcomes by name.</summary>
    public static Task<Dictionary<string, CheckOutcome>> RunAsync(ControlAnswer answer, IEnumerable<TestRow> rows, CheckSettings? settings = null) =>
        RunAsync(IpeChecks.For(settings ?? Settings, September, Parameters, new AnsweredControls(answer)), rows);

    public static async Task<Dictionary<string, CheckOutcome>> RunAsync(IReadOnlyList<ICheck> checks, IEnumerable<TestRow> rows)
    {
        var guarded = checks.Select(c => new GuardedCheck(c)).ToList();
        var header = new ExtractHeader(Header.Select(h => new ResultColumn(h, "varchar")).ToList());
        foreach (var c in guarded) c.Begin(header);
        long n = 0;
        foreach (var row in rows)
        {
            n++;
            foreach (var c in guarded) c.Row(row);
        }
        foreach (var c in guarded) c.End(n);
        var outcomes = new Dictionary<string, CheckOutcome>();
        foreach (var c in guarded)
        {
            outcomes[c.Name] = await c.OutcomeAsync(CancellationToken.None);
            c.Dispose();
        }
        return outcomes;
    }

    public const string Completeness = "Completeness: extract rows = control count";
    public const string Accuracy = "Accuracy: amount total = control total";
}

/// <summary>The engine's answer to the control query, as given.</summary>
internal sealed class AnsweredControls(ControlAnswer answer) : IControlQueries
{
    public int Asked { get; private set; }

    public Task<ControlAnswer> AnswerAsync(ControlTotalQuery query, CancellationToken ct)
    {
        Asked++;
        return Task.FromResult(answer);
    }
}
