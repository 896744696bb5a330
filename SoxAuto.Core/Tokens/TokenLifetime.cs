using System.Globalization;
using System.Text.RegularExpressions;

namespace SoxAuto.Core.Tokens;

/// <summary>How long a token lives, written as a number and a unit: <c>12h</c>, <c>30d</c>, <c>8w</c>. Every
/// token expires, at most a year after it is issued: automation that needs longer gets a new token, which
/// leaves a trace in the audit trail.</summary>
public static partial class TokenLifetime
{
    public static readonly TimeSpan Longest = TimeSpan.FromDays(366);

    public static bool TryParse(string? text, out TimeSpan lifetime, out string error)
    {
        lifetime = default;
        var match = Pattern().Match(text?.Trim() ?? "");
        if (!match.Success || !int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n == 0)
        {
            error = $"The expiry {UserText.Quote(text)} is not a duration such as 12h, 30d or 8w (hours, days or weeks).";
            return false;
        }
        lifetime = match.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            _ => TimeSpan.FromDays(7.0 * n),
        };
        if (lifetime > Longest)
        {
            error = $"The expiry {UserText.Quote(text)} is longer than a token may live ({Longest.TotalDays:0} days).";
            return false;
        }
        error = "";
        return true;
    }

    [GeneratedRegex(@"^(?<n>\d{1,6})\s*(?<unit>[hdwHDW])$")]
    private static partial Regex Pattern();
}
