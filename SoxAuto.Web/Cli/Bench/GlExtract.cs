using System.Globalization;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Extract;
using SoxAuto.Core.Periods;

namespace SoxAuto.Web.Cli.Bench;

/// <summary>
/// A synthetic extract with the G/L entries' mix of columns (bigint, varchar x4, date, decimal(18,2)
/// x2, timestamp, boolean; about 1 in 50 values NULL in two columns), written in Athena's dialect by
/// the engines' own <see cref="AthenaCsvWriter"/>. Every value is a hash of its row and column, so a
/// given row count always gives the same bytes (the same SHA-256) on any machine. Beside it, the
/// generator writes what the bench IPE's control query would return (<see cref="ControlPath"/>), so that
/// every check a run has, the completeness and accuracy comparisons included, runs on it.
/// </summary>
public static class GlExtract
{
    public static readonly IReadOnlyList<ResultColumn> Columns =
    [
        new("entry_no", "bigint"), new("gl_account_no", "varchar"), new("document_no", "varchar"), new("description", "varchar"),
        new("company_code", "varchar"), new("posting_date", "date"), new("amount", "decimal(18,2)"), new("vat_amount", "decimal(18,2)"),
        new("created_at", "timestamp"), new("is_reversal", "boolean"),
    ];

    public static readonly Period Period = Period.Month(2025, 9);

    /// <summary>The bench IPE's check settings: those of a G/L report such as CR_03.</summary>
    public static readonly CheckSettings Settings = new()
    {
        RequiredColumns = ["entry_no", "gl_account_no", "company_code", "posting_date", "amount"],
        DateColumn = "posting_date",
        DateBound = DateBound.WithinPeriod,
        KeyColumns = ["entry_no"],
        AmountColumns = ["amount", "vat_amount"],
        CompanyColumn = "company_code",
        CompanyParameter = "companies",
        GlAccountColumn = "gl_account_no",
        ControlTotalQueries = [new("Entries counted and totalled per company and account", ControlSql)],
        WitnessRecords =
        [
            new("The first entry", new Dictionary<string, string> { ["entry_no"] = "1000001" }, MustBePresent: true),
            new("An entry number below the first", new Dictionary<string, string> { ["entry_no"] = "1000000" }, MustBePresent: false),
        ],
    };

    /// <summary>The control query the bench's figures stand for (it has no engine to run it on).</summary>
    private const string ControlSql = "SELECT company_code, gl_account_no, COUNT(*) AS row_count, SUM(amount) AS amount, SUM(vat_amount) AS vat_amount "
        + "FROM gl_entries WHERE posting_date BETWEEN {{period_start}} AND {{period_end}} GROUP BY company_code, gl_account_no";

    public static IReadOnlyList<ParameterValue> Parameters => [new("companies", ParameterType.TextList, Companies)];

    /// <summary>The checks a run of such an IPE gets, as a run creates them; the control query is answered
    /// by the figures the generator wrote beside <paramref name="extract"/>.</summary>
    public static IReadOnlyList<ICheck> Checks(string extract) =>
        IpeChecks.For(Settings, Period, Parameters, new WrittenControlFigures(ControlPath(extract)));

    /// <summary>Where the control figures of an extract are: beside it.</summary>
    public static string ControlPath(string extract) => extract + ".control.csv";

    private static readonly string[] Accounts = ["13003", "13004", "13009", "18412", "18350", "18304", "13005"];
    private static readonly string[] Companies = ["EC_NG", "JD_GH", "EC_IC", "HF_SN", "EC_KE", "JD_UG", "JD_DZ", "JM_EG", "EC_MA"];
    private static readonly ResultColumn[] ControlColumns =
        [new("company_code", "varchar"), new("gl_account_no", "varchar"), new("row_count", "bigint"), new("amount", "decimal(38,2)"), new("vat_amount", "decimal(38,2)")];
    private static readonly string[] Words = ["Sales order", "Refund", "Voucher", "Cash \"COD\" collection", "Marketplace fee, seller", "FX revaluation", "Prepayment"];

    /// <summary>Writes the extract to <paramref name="path"/> and its control figures beside it (each through
    /// a .partial file, the extract last, so an extract with its final name is always complete with its
    /// figures and can be reused by the next run of the benchmark).</summary>
    public static void Write(string path, long rows)
    {
        var figures = new SortedDictionary<(string Company, string Account), (long Rows, decimal Amount, decimal? Vat)>();
        var partial = path + ".partial";
        using (var csv = new AthenaCsvWriter(new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16)))
        {
            csv.WriteHeader(Columns.Select(c => c.Name));
            Span<char> text = stackalloc char[64];
            for (long i = 1; i <= rows; i++)
            {
                var date = Period.Start.AddDays((int)(Hash(i, 1) % 30));
                var account = Accounts[Hash(i, 2) % (ulong)Accounts.Length];
                var company = Companies[Hash(i, 7) % (ulong)Companies.Length];
                var amount = Money(i, 8, 10_000_000);
                decimal? vat = Hash(i, 9) % 50 == 0 ? null : Money(i, 10, 1_000_000);
                var group = figures.GetValueOrDefault((company, account));
                figures[(company, account)] = (group.Rows + 1, group.Amount + amount, vat is null ? group.Vat : (group.Vat ?? 0) + vat);
                csv.WriteField(Formatted(text, 1_000_000 + i));
                csv.WriteField(account);
                if (Hash(i, 3) % 50 == 0) csv.WriteNull();
                else csv.WriteField("DOC-" + (Hash(i, 4) % 1_000_000).ToString("D7", CultureInfo.InvariantCulture));
                csv.WriteField(Words[Hash(i, 5) % (ulong)Words.Length] + " " + (Hash(i, 6) % 100_000).ToString(CultureInfo.InvariantCulture));
                csv.WriteField(company);
                csv.WriteField(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                csv.WriteField(Text(amount));
                if (vat is null) csv.WriteNull();
                else csv.WriteField(Text(vat.Value));
                var time = TimeOnly.FromTimeSpan(TimeSpan.FromMilliseconds(Hash(i, 11) % 86_400_000));
                csv.WriteField(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " " + time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture));
                csv.WriteField(Hash(i, 12) % 10 == 0 ? "true" : "false");
                csv.EndRow();
            }
        }
        var control = ControlPath(path);
        using (var csv = new AthenaCsvWriter(new FileStream(control + ".partial", FileMode.Create, FileAccess.Write, FileShare.None)))
        {
            csv.WriteHeader(ControlColumns.Select(c => c.Name));
            foreach (var ((company, account), f) in figures)
            {
                csv.WriteField(company);
                csv.WriteField(account);
                csv.WriteField(f.Rows.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(Text(f.Amount));
                if (f.Vat is null) csv.WriteNull();
                else csv.WriteField(Text(f.Vat.Value));
                csv.EndRow();
            }
        }
        File.Move(control + ".partial", control, overwrite: true);
        File.Move(partial, path, overwrite: true);
    }

    private static string Text(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static ReadOnlySpan<char> Formatted(Span<char> text, long value)
    {
        value.TryFormat(text, out var n, default, CultureInfo.InvariantCulture);
        return text[..n];
    }

    /// <summary>A signed amount with two decimals, below <paramref name="units"/> in size.</summary>
    private static decimal Money(long row, int column, long units)
    {
        var cents = (long)(Hash(row, column) % (ulong)(2 * units * 100)) - units * 100;
        return cents / 100m;
    }

    /// <summary>SplitMix64 of the row and column: independent of order and threads.</summary>
    private static ulong Hash(long row, int column)
    {
        var z = (ulong)row * 0x9E3779B97F4A7C15UL + (ulong)column * 0xD1B54A32D192ED03UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>The bench's stand-in for an engine: the control figures the generator wrote beside the extract,
/// read in Athena's dialect as a control query's result would be.</summary>
internal sealed class WrittenControlFigures(string path) : IControlQueries
{
    public async Task<ControlAnswer> AnswerAsync(ControlTotalQuery query, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await using var file = File.OpenRead(path);
        var reader = new AthenaCsvReader(file);
        var header = await reader.ReadHeaderAsync(ct);
        var rows = new List<string?[]>();
        while (await reader.ReadRowAsync(ct)) rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.Text).ToArray());
        return new ControlAnswer(query.Sql, "bench", header.Select(h => new ResultColumn(h, "varchar")).ToList(), rows, watch.Elapsed);
    }
}
