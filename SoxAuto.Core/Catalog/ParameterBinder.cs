using System.Globalization;
using System.Text.RegularExpressions;
using SoxAuto.Core.Periods;

namespace SoxAuto.Core.Catalog;

/// <summary>Turns a period and what a user typed into the typed values an IPE's SQL receives.</summary>
public static class ParameterBinder
{
    public const string PeriodStart = "period_start";
    public const string PeriodEnd = "period_end";
    public const string NextPeriodStart = "next_period_start";

    public static IReadOnlyList<string> PeriodNames { get; } = [PeriodStart, PeriodEnd, NextPeriodStart];

    /// <summary>The three period values followed by every declared parameter, in declaration order.</summary>
    public static IReadOnlyList<ParameterValue> Bind(
        IpeDefinition ipe, Period period, IReadOnlyDictionary<string, string>? supplied = null)
    {
        supplied ??= new Dictionary<string, string>();
        var unknown = supplied.Keys.Where(k => !ipe.Parameters.Any(p => p.Name == k)).ToList();
        if (unknown.Count > 0)
            throw new ParameterException($"{ipe.Id} has no parameter named {string.Join(", ", unknown)}.");

        var values = new List<ParameterValue>
        {
            DateValue(PeriodStart, period.Start),
            DateValue(PeriodEnd, period.End),
            DateValue(NextPeriodStart, period.NextStart),
        };
        foreach (var p in ipe.Parameters)
        {
            string? raw = supplied.TryGetValue(p.Name, out var given) && !string.IsNullOrWhiteSpace(given)
                ? given
                : p.Default;
            raw = raw is not null && PeriodNames.Contains(raw) ? Iso(PeriodValue(raw, period)) : raw;
            if (string.IsNullOrWhiteSpace(raw))
            {
                if (p.Required) throw new ParameterException($"Parameter {p.Name} is required.");
                values.Add(new ParameterValue(p.Name, p.Type, p.Type == ParameterType.TextList ? [] : [""]));
                continue;
            }
            values.Add(Typed(p, raw));
        }
        return values;
    }

    public static ParameterValue Typed(ParameterDefinition p, string raw)
    {
        switch (p.Type)
        {
            case ParameterType.Date:
                if (!DateOnly.TryParseExact(raw.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                    throw new ParameterException($"Parameter {p.Name} must be a date (yyyy-MM-dd), not {UserText.Quote(raw)}.");
                return DateValue(p.Name, d);
            case ParameterType.Text:
                return new ParameterValue(p.Name, p.Type, [Checked(p, raw.Trim())]);
            case ParameterType.TextList:
                var items = raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Select(i => Checked(p, i)).Distinct(StringComparer.Ordinal).ToList();
                if (items.Count == 0)
                    throw new ParameterException($"Parameter {p.Name} needs at least one value.");
                return new ParameterValue(p.Name, p.Type, items);
            default:
                throw new ParameterException($"Parameter {p.Name} has an unknown type.");
        }
    }

    private static string Checked(ParameterDefinition p, string item)
    {
        if (SqlLiteral.Unprintable(item) is { } why)
            throw new ParameterException($"Parameter {p.Name} {why}.");
        if (p.Pattern is not null && !Matches(p, item))
            throw new ParameterException($"{UserText.Quote(item)} is not a valid value for {p.Name} (expected pattern {p.Pattern}).");
        return item;
    }

    /// <summary>A pattern that takes too long (catastrophic backtracking) or does not parse (saved before
    /// validation existed) is a refusal too, never an exception that escapes to the page.</summary>
    private static bool Matches(ParameterDefinition p, string item)
    {
        try
        {
            return Regex.IsMatch(item, p.Pattern!, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (RegexMatchTimeoutException)
        {
            throw new ParameterException($"The value of {p.Name} could not be checked against its pattern in time; use a shorter value.");
        }
        catch (ArgumentException e)
        {
            throw new ParameterException($"The pattern of parameter {p.Name} is not a valid regular expression ({e.Message}); an admin must correct the IPE.");
        }
    }

    private static DateOnly PeriodValue(string name, Period period) => name switch
    {
        PeriodStart => period.Start,
        PeriodEnd => period.End,
        _ => period.NextStart,
    };

    private static ParameterValue DateValue(string name, DateOnly d) => new(name, ParameterType.Date, [Iso(d)]);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
