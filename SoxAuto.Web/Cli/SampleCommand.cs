using System.Globalization;
using SoxAuto.Core.Procedures.Sampling;

namespace SoxAuto.Web.Cli;

/// <summary>
/// <c>dotnet run --project SoxAuto.Web -- sample RUN_ID --method random --size 25 --seed 42 --out FILE</c>: draws a
/// sample from the run's stored extract (methods <c>random</c>, <c>mus</c> with <c>--amount COLUMN</c> and
/// optionally <c>--start X</c>, <c>stratified</c> with <c>--by COLUMN</c>), stores it with the run, writes its
/// workbook to FILE and prints one JSON object. Exit code 0 when drawn; 1 when refused (no such run, no
/// extract, an altered extract, a column it lacks); 2 for a malformed command line.
/// </summary>
public static class SampleCommand
{
    public const string Verb = "sample";
    private const string Usage = "Usage: sample <run id> --method random|mus|stratified --size <n> [--seed <n>] [--amount <column>] [--start <amount>] [--by <column>] --out <file.xlsx>";

    public static async Task<int> RunAsync(CommandLine command)
    {
        var (hostArgs, args) = VerbHost.Split(command);
        if (!TryParse(args, out var runId, out var spec, out var output, out var error))
        {
            await Console.Error.WriteLineAsync(error);
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }
        await using var app = await VerbHost.StartAsync(hostArgs);
        var samples = app.Services.GetRequiredService<Samples>();
        var who = VerbHost.Operator();
        Sample sample;
        try
        {
            sample = await samples.DrawAsync(runId, spec, who);
        }
        catch (SampleException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        var workbook = (await samples.ExportAsync(runId, sample.Id, who, $"cli sample {runId}"))!.Value;
        var path = Path.GetFullPath(output);
        await File.WriteAllBytesAsync(path + ".partial", workbook.Bytes);
        File.Move(path + ".partial", path, overwrite: true);
        VerbHost.Print(new
        {
            sampleId = sample.Id,
            runId,
            method = sample.Method.ToString(),
            described = Samples.Describe(sample),
            size = sample.Size,
            seed = sample.Seed,
            populationRows = sample.PopulationRows,
            populationAmount = sample.PopulationAmount,
            interval = sample.Interval,
            randomStart = sample.RandomStart,
            extractSha256 = sample.ExtractSha256,
            rows = sample.Rows.Select(r => new { row = r.RowNumber, stratum = r.Stratum, units = r.Units }),
            file = path,
        });
        return 0;
    }

    private static bool TryParse(IReadOnlyList<string> args, out int runId, out SampleSpec spec, out string output, out string error)
    {
        (runId, spec, output, error) = (0, null!, "", "");
        string? method = null, size = null, seed = null, amount = null, by = null, start = null, file = null, run = null;
        for (var i = 0; i < args.Count; i++)
        {
            string? Next() => i + 1 < args.Count ? args[++i] : null;
            switch (args[i])
            {
                case "--method": method = Next(); break;
                case "--size": size = Next(); break;
                case "--seed": seed = Next(); break;
                case "--amount": amount = Next(); break;
                case "--by": by = Next(); break;
                case "--start": start = Next(); break;
                case "--out": file = Next(); break;
                case var a when run is null && !a.StartsWith("--", StringComparison.Ordinal): run = a; break;
                default: error = $"Unexpected argument '{args[i]}'."; return false;
            }
        }
        SampleMethod? kind = method switch { "random" => SampleMethod.Random, "mus" => SampleMethod.MonetaryUnit, "stratified" => SampleMethod.Stratified, _ => null };
        decimal? fixedStart = null;
        if (run is null || !int.TryParse(run, CultureInfo.InvariantCulture, out runId)) error = "Name the run to sample by its number.";
        else if (kind is null) error = "Give the method with --method random, mus or stratified.";
        else if (!int.TryParse(size, CultureInfo.InvariantCulture, out var n)) error = "Give the sample size with --size, e.g. --size 25.";
        else if (seed is not null && !long.TryParse(seed, CultureInfo.InvariantCulture, out _)) error = $"The seed must be a whole number, not '{seed}'.";
        else if (start is not null && !decimal.TryParse(start, NumberStyles.Number, CultureInfo.InvariantCulture, out _)) error = $"The random start must be an amount, not '{start}'.";
        else if (file is null) error = "Give the workbook to write with --out, e.g. --out sample.xlsx.";
        else
        {
            if (start is not null) fixedStart = decimal.Parse(start, NumberStyles.Number, CultureInfo.InvariantCulture);
            spec = new SampleSpec(kind.Value, n, seed is null ? Samples.NewSeed() : long.Parse(seed, CultureInfo.InvariantCulture), amount, by, fixedStart);
            output = file;
            return true;
        }
        return false;
    }
}
