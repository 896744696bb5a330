using System.Globalization;
using System.Text;

namespace SoxAuto.Core.Audit;

/// <summary>
/// Audit entries as CSV (RFC 4180: comma-separated, CRLF line ends, a field in double quotes when it holds
/// a comma, a quote or a line break, quotes doubled), UTF-8 with a byte order mark so that Excel reads it
/// as UTF-8. A spreadsheet runs a cell starting with <c>= + - @</c> (or a tab or carriage return) as a
/// formula, and some audit fields hold text from outside (a name, a provider's error message), so such a
/// value is written with a leading apostrophe, as OWASP advises: Excel shows it as text.
/// The columns are every field of an entry, the time exactly as hashed, so anyone can recompute a hash
/// (after removing such an apostrophe) and follow the chain row by row. The last two columns (who's
/// subject and the entry's format) came later, so the columns before them keep their places.
/// </summary>
public static class AuditCsv
{
    public static readonly string[] Header = ["Id", "At (UTC)", "Who", "Action", "Subject", "Detail", "Origin", "PreviousId", "PreviousHash", "Hash", "Who (subject)", "Format"];

    public static readonly UTF8Encoding Encoding = new(encoderShouldEmitUTF8Identifier: true);

    public static Task WriteHeaderAsync(TextWriter to) => WriteRowAsync(to, Header);

    public static Task WriteAsync(TextWriter to, AuditEntry e) => WriteRowAsync(to,
    [
        e.Id.ToString(CultureInfo.InvariantCulture), AuditTrail.TimeText(e.At), e.Who, e.Action, e.Subject, e.Detail, e.Origin,
        e.PreviousId?.ToString(CultureInfo.InvariantCulture) ?? "", e.PreviousHash, e.Hash,
        e.WhoSubject ?? "", e.Format.ToString(CultureInfo.InvariantCulture),
    ]);

    private static async Task WriteRowAsync(TextWriter to, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) await to.WriteAsync(',');
            await to.WriteAsync(Field(fields[i]));
        }
        await to.WriteAsync("\r\n");
    }

    /// <summary>One field: formula-safe, then quoted if RFC 4180 requires it.</summary>
    public static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
