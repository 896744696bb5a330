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
/// given row count always gives the same bytes (the same SHA-256) on any machine.
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

    /// <summary>The checks a run of such an IPE gets, as a run would create them.</summary>
    public static IReadOnlyList<ICheck> Checks() => IpeChecks.For(
        new CheckSettings { RequiredColumns = ["entry_no", "gl_account_no"], DateColumn = "posting_date" }, Period);

    private static readonly string[] Accounts = ["13003", "13004", "13009", "18412", "18350", "18304", "13005"];
    private static readonly string[] Companies = ["EC_NG", "JD_GH", "EC_IC", "HF_SN", "EC_KE", "JD_UG", "JD_DZ", "JM_EG", "EC_MA"];
    private static readonly string[] Words = ["Sales order", "Refund", "Voucher", "Cash \"COD\" collection", "Marketplace fee, seller", "FX revaluation", "Prepayment"];

    /// <summary>Writes the extract to <paramref name="path"/> (through a .partial file, so a file with
    /// the final name is always complete and can be reused by the next run of the benchmark).</summary>
    public static void Write(string path, long rows)
    {
        var partial = path + ".partial";
        using (var csv = new AthenaCsvWriter(new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16)))
        {
            csv.WriteHeader(Columns.Select(c => c.Name));
            Span<char> text = stackalloc char[64];
            for (long i = 1; i <= rows; i++)
            {
                var date = Period.Start.AddDays((int)(Hash(i, 1) % 30));
                csv.WriteField(Formatted(text, 1_000_000 + i));
                csv.WriteField(Accounts[Hash(i, 2) % (ulong)Accounts.Length]);
                if (Hash(i, 3) % 50 == 0) csv.WriteNull();
                else csv.WriteField("DOC-" + (Hash(i, 4) % 1_000_000).ToString("D7", CultureInfo.InvariantCulture));
                csv.WriteField(Words[Hash(i, 5) % (ulong)Words.Length] + " " + (Hash(i, 6) % 100_000).ToString(CultureInfo.InvariantCulture));
                csv.WriteField(Companies[Hash(i, 7) % (ulong)Companies.Length]);
                csv.WriteField(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                csv.WriteField(Money(i, 8, 10_000_000));
                if (Hash(i, 9) % 50 == 0) csv.WriteNull();
                else csv.WriteField(Money(i, 10, 1_000_000));
                var time = TimeOnly.FromTimeSpan(TimeSpan.FromMilliseconds(Hash(i, 11) % 86_400_000));
                csv.WriteField(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " " + time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture));
                csv.WriteField(Hash(i, 12) % 10 == 0 ? "true" : "false");
                csv.EndRow();
            }
        }
        File.Move(partial, path, overwrite: true);
    }

    private static ReadOnlySpan<char> Formatted(Span<char> text, long value)
    {
        value.TryFormat(text, out var n, default, CultureInfo.InvariantCulture);
        return text[..n];
    }

    /// <summary>A signed amount with two decimals, below <paramref name="units"/> in size.</summary>
    private static string Money(long row, int column, long units)
    {
        var cents = (long)(Hash(row, column) % (ulong)(2 * units * 100)) - units * 100;
        return (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);
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
