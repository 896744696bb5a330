using System.Globalization;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Extract;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Reconciliations;

/// <summary>A reconciliation that cannot be made; the message says why, for the user and the run.</summary>
public sealed class ReconciliationException(string message) : Exception(message);

/// <summary>A run a reconciliation reads, with the IPE version it ran.</summary>
public sealed record InputRun(InputRole Role, IpeVersion Version, Run Run);

/// <summary>
/// The figures of a reconciliation, from the stored extracts alone (each streamed once through the extract
/// reader; totals in exact decimals): every supporting IPE totalled per G/L account and company, set against
/// CR_04's balance of that account and company, the difference judged by the control's threshold and turned
/// into USD at CR_05's closing rate. Anything missing (a balance, a rate, a column, an unreadable amount)
/// stops it with the reason: a reconciliation is whole or it is not made.
/// </summary>
public static class ReconciliationFigures
{
    // The columns of the G/L reports the figures rely on (docs/ipe-catalog.md).
    public const string BalanceCompany = "company_code", BalanceAccount = "gl_account_no", BalanceCurrency = "currency_code", Balance = "balance";
    public const string RateCompany = "company_code", RateCurrency = "currency_code", Rate = "closing_rate", RateDate = "rate_date";

    private sealed class Total
    {
        public readonly ExactSum Sum = new();
        public long Rows;
    }

    public static async Task<List<ReconciliationLine>> ComputeAsync(IReadOnlyList<InputRun> inputs, ControlDefinition control,
        IEvidenceStore store, CancellationToken ct)
    {
        var balances = new Dictionary<(string Account, string Company), (string Currency, decimal Balance)>();
        var balancesRun = inputs.Single(i => i.Role == InputRole.Balances);
        await ReadAsync(balancesRun, store, [BalanceCompany, BalanceAccount, BalanceCurrency, Balance], v =>
            balances[(v[1]!, v[0]!)] = (v[2]!, Number(balancesRun, Balance, v[3])), ct);

        var rates = new Dictionary<string, (string Currency, decimal Rate, string Date)>();
        var ratesRun = inputs.Single(i => i.Role == InputRole.Rates);
        await ReadAsync(ratesRun, store, [RateCompany, RateCurrency, Rate, RateDate], v =>
            rates[v[0]!] = (v[1]!, Number(ratesRun, Rate, v[2]), v[3]!), ct);

        // Per account: the IPEs that support it, and their totals per company.
        var supporting = new Dictionary<string, List<(InputRun Input, Dictionary<string, Total> Totals)>>();
        foreach (var input in inputs.Where(i => i.Role == InputRole.Supports))
        {
            var map = input.Version.Definition.Reconciliation!;
            var totals = new Dictionary<(string Account, string Company), Total>();
            foreach (var account in input.Version.Definition.GlAccounts) totals.TryAdd((account, ""), new Total());
            string[] columns = map.GlAccountColumn is null ? [map.CompanyColumn, map.AmountColumn] : [map.CompanyColumn, map.AmountColumn, map.GlAccountColumn];
            await ReadRowsAsync(input, store, columns, (row, at) =>
            {
                var company = row.Text(at[0]);
                var account = map.GlAccount ?? row.Text(at[2]);
                if (company is null || account is null || !row.TryNumber(at[1], out var amount))
                    throw new ReconciliationException(
                        $"{Name(input)} has a row without a company, a G/L account or a number in {map.AmountColumn}, so its totals cannot be made.");
                if (!totals.TryGetValue((account, company), out var total)) totals[(account, company)] = total = new Total();
                total.Sum.Add(amount);
                total.Rows++;
            }, ct);
            foreach (var byAccount in totals.GroupBy(t => t.Key.Account))
            {
                if (!supporting.TryGetValue(byAccount.Key, out var list)) supporting[byAccount.Key] = list = [];
                list.Add((input, byAccount.Where(t => t.Key.Company != "").ToDictionary(t => t.Key.Company, t => t.Value)));
            }
        }

        var lines = new List<ReconciliationLine>();
        foreach (var (account, ipes) in supporting.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var signs = ipes.Select(i => i.Input.Version.Definition.Reconciliation!.Sign).Distinct().ToList();
            if (signs.Count > 1)
                throw new ReconciliationException($"G/L account {account} is supported by {string.Join(" and ", ipes.Select(i => i.Input.Version.IpeId))} with opposite signs; one account takes one sign.");
            var companies = balances.Keys.Where(k => k.Account == account).Select(k => k.Company)
                .Union(ipes.SelectMany(i => i.Totals.Keys)).Order(StringComparer.Ordinal);
            foreach (var company in companies)
            {
                if (!balances.TryGetValue((account, company), out var gl))
                    throw new ReconciliationException(
                        $"{Name(balancesRun)} has no balance of G/L account {account} for {company}, which {string.Join(" and ", ipes.Select(i => i.Input.Version.IpeId))} supports: the G/L side is missing.");
                if (!rates.TryGetValue(company, out var rate) || rate.Rate == 0)
                    throw new ReconciliationException($"{Name(ratesRun)} has no closing rate for {company}, so the difference cannot be shown in USD.");
                if (rate.Currency != gl.Currency)
                    throw new ReconciliationException($"{company}'s balance is in {gl.Currency} but {Name(ratesRun)} gives its rate for {rate.Currency}.");
                decimal ipeTotal = 0;
                long rows = 0;
                foreach (var (input, totals) in ipes)
                {
                    if (!totals.TryGetValue(company, out var t)) continue;
                    ipeTotal += Number(input, input.Version.Definition.Reconciliation!.AmountColumn, t.Sum.ToString());
                    rows += t.Rows;
                }
                var sign = signs[0] == GlSign.Opposite ? -1 : 1;
                var difference = gl.Balance - sign * ipeTotal;
                var threshold = control.ThresholdFor(account, company);
                lines.Add(new ReconciliationLine
                {
                    GlAccount = account,
                    Company = company,
                    Currency = gl.Currency,
                    Ipes = string.Join(", ", ipes.Select(i => i.Input.Version.IpeId)),
                    Sign = signs[0].ToString(),
                    IpeRows = rows,
                    IpeTotal = ipeTotal,
                    GlBalance = gl.Balance,
                    Difference = difference,
                    Threshold = threshold,
                    Outside = Math.Abs(difference) > threshold,
                    UsdRate = rate.Rate,
                    UsdRateDate = rate.Date,
                    DifferenceUsd = Math.Round(difference / rate.Rate, 2, MidpointRounding.AwayFromZero),
                });
            }
        }
        var ordered = lines.OrderByDescending(l => l.Outside).ThenBy(l => l.GlAccount, StringComparer.Ordinal).ThenBy(l => l.Company, StringComparer.Ordinal).ToList();
        for (var i = 0; i < ordered.Count; i++) ordered[i].Order = i;
        return ordered;
    }

    public static string Name(InputRun input) => $"{input.Version.IpeId} (run {input.Run.Id})";

    private static decimal Number(InputRun input, string column, string? text)
    {
        if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            return value;
        throw new ReconciliationException($"{Name(input)}: '{text}' in {column} is not a number a reconciliation can use (at most 28 digits).");
    }

    /// <summary>The named columns of every row as text (null for NULL); a missing column stops the reconciliation.</summary>
    private static Task ReadAsync(InputRun input, IEvidenceStore store, string[] columns, Action<string?[]> row, CancellationToken ct) =>
        ReadRowsAsync(input, store, columns, (r, at) =>
        {
            var values = at.Select(r.Text).ToArray();
            if (values.Any(v => v is null))
                throw new ReconciliationException($"{Name(input)} has a row with no value in {string.Join(" or ", columns)}.");
            row(values);
        }, ct);

    /// <summary>Streams a run's stored extract (never loaded whole), handing each row with the positions of <paramref name="columns"/>.</summary>
    public static async Task ReadRowsAsync(InputRun input, IEvidenceStore store, string[] columns, Action<IExtractRow, int[]> row,
        CancellationToken ct, Action<string[]>? header = null)
    {
        if (input.Run.ExtractPath is null) throw new ReconciliationException($"{Name(input)} has no stored extract.");
        await using var file = await store.OpenAsync(input.Run.ExtractPath, ct)
            ?? throw new ReconciliationException($"{Name(input)}: its stored extract is missing from the evidence store.");
        var reader = new AthenaCsvReader(file);
        var names = await reader.ReadHeaderAsync(ct);
        header?.Invoke(names);
        var extract = new ExtractHeader(names.Select(n => new ResultColumn(n, "varchar")).ToList());
        var at = columns.Select(c => extract.IndexOf(c)).ToArray();
        if (Array.IndexOf(at, -1) is var missing and >= 0)
            throw new ReconciliationException($"{Name(input)} has no column {columns[missing]}, which the reconciliation reads.");
        while (await reader.ReadRowAsync(ct)) row(reader, at);
    }
}
