using System.Globalization;
using System.Text.Json;
using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Procedures.Sampling;

/// <summary>The rows a sample selects, and for monetary-unit sampling its figures.</summary>
public sealed record DrawnSample(string[] Columns, long PopulationRows, IReadOnlyList<SampledRow> Rows,
    decimal? PopulationAmount = null, decimal? Interval = null, decimal? RandomStart = null);

/// <summary>
/// Draws a sample by streaming over the stored extract; memory holds the sample, never the extract.
/// Random and stratified: a reservoir (Vitter's algorithm R) of row numbers, one per stratum; monetary-unit:
/// a first pass for the population amount, then the units r, r + J, r + 2J, ... are found in the running
/// total. A last pass reads the values of the rows drawn. Public for the benchmark, which draws from an
/// extract file with no run around it (<see cref="Samples"/> is the product's way in).
/// </summary>
public static class SampleDraw
{
    public static async Task<DrawnSample> DrawAsync(Func<CancellationToken, Task<Stream>> openExtract, SampleSpec spec, CancellationToken ct)
    {
        var drawn = spec.Method == SampleMethod.MonetaryUnit
            ? await MonetaryUnitAsync(openExtract, spec, ct)
            : await ReservoirAsync(openExtract, spec, ct);
        await ReadValuesAsync(openExtract, drawn.Rows, ct);
        return drawn;
    }

    private static async Task<DrawnSample> ReservoirAsync(Func<CancellationToken, Task<Stream>> open, SampleSpec spec, CancellationToken ct)
    {
        var random = new SeededRandom(spec.Seed);
        var strata = new Dictionary<string, (long Seen, List<long> Rows)>(StringComparer.Ordinal);
        await using var stream = await open(ct);
        var reader = new AthenaCsvReader(stream);
        var columns = await reader.ReadHeaderAsync(ct);
        var by = spec.Method == SampleMethod.Stratified ? Column(columns, spec.StratumColumn, "stratum") : -1;
        while (await reader.ReadRowAsync(ct))
        {
            var stratum = by < 0 ? "" : reader.Text(by) ?? "NULL";
            if (!strata.TryGetValue(stratum, out var s)) s = (0, []);
            s.Seen++;
            if (s.Rows.Count < spec.Size) s.Rows.Add(reader.DataRows);
            else if (random.Below(s.Seen) is var j && j < spec.Size) s.Rows[(int)j] = reader.DataRows;
            strata[stratum] = s;
        }
        var rows = strata.SelectMany(s => s.Value.Rows.Select(r => new SampledRow { RowNumber = r, Stratum = by < 0 ? null : s.Key, ValuesJson = "" }))
            .OrderBy(r => r.RowNumber).ToList();
        return new DrawnSample(columns, reader.DataRows, rows);
    }

    private static async Task<DrawnSample> MonetaryUnitAsync(Func<CancellationToken, Task<Stream>> open, SampleSpec spec, CancellationToken ct)
    {
        string[] columns;
        int amount;
        decimal total = 0;
        long population;
        await using (var stream = await open(ct))
        {
            var reader = new AthenaCsvReader(stream);
            columns = await reader.ReadHeaderAsync(ct);
            amount = Column(columns, spec.AmountColumn, "amount");
            while (await reader.ReadRowAsync(ct))
                if (Positive(reader, amount) is { } a) total += a;
            population = reader.DataRows;
        }
        if (total <= 0)
            throw new SampleException($"The column {columns[amount]} has no positive amount, so there are no monetary units to sample.");
        var interval = total / spec.Size;
        var start = spec.RandomStart ?? Math.Round(interval * new SeededRandom(spec.Seed).Fraction(), 2, MidpointRounding.ToZero);
        if (start < 0 || start >= interval)
            throw new SampleException(FormattableString.Invariant($"The random start must be at least 0 and less than the sampling interval {interval}."));

        var rows = new List<SampledRow>();
        decimal before = 0;
        await using (var stream = await open(ct))
        {
            var reader = new AthenaCsvReader(stream);
            await reader.ReadHeaderAsync(ct);
            while (await reader.ReadRowAsync(ct))
            {
                if (Positive(reader, amount) is not { } a) continue;
                var after = before + a;
                // The units r + kJ in [before, after): this row holds them.
                var first = Math.Max(0, Math.Ceiling((before - start) / interval));
                var units = new List<decimal>();
                for (var k = first; k < spec.Size && start + k * interval < after; k++) units.Add(start + k * interval);
                if (units.Count > 0)
                    rows.Add(new SampledRow
                    {
                        RowNumber = reader.DataRows,
                        Units = string.Join("; ", units.Select(u => u.ToString(CultureInfo.InvariantCulture))),
                        ValuesJson = "",
                    });
                before = after;
            }
        }
        return new DrawnSample(columns, population, rows, total, interval, start);
    }

    /// <summary>The row's amount when it is a positive number; NULL, zero, negative and non-numbers hold no units.</summary>
    private static decimal? Positive(AthenaCsvReader row, int column) =>
        row.Text(column) is { } text && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var a) && a > 0 ? a : null;

    private static async Task ReadValuesAsync(Func<CancellationToken, Task<Stream>> open, IReadOnlyList<SampledRow> rows, CancellationToken ct)
    {
        var wanted = rows.ToDictionary(r => r.RowNumber);
        await using var stream = await open(ct);
        var reader = new AthenaCsvReader(stream);
        await reader.ReadHeaderAsync(ct);
        var found = 0;
        while (found < wanted.Count && await reader.ReadRowAsync(ct))
        {
            if (!wanted.TryGetValue(reader.DataRows, out var row)) continue;
            row.ValuesJson = JsonSerializer.Serialize(Enumerable.Range(0, reader.FieldCount).Select(reader.Text).ToArray());
            found++;
        }
    }

    private static int Column(string[] columns, string? name, string what)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new SampleException($"Name the {what} column.");
        var i = Array.FindIndex(columns, c => string.Equals(c, name.Trim(), StringComparison.OrdinalIgnoreCase));
        return i >= 0 ? i : throw new SampleException($"The extract has no column {name.Trim()} (its columns: {string.Join(", ", columns)}).");
    }
}

/// <summary>A sample that cannot be drawn as asked; the message is for the user.</summary>
public sealed class SampleException(string message) : Exception(message);
