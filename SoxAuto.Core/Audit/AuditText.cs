using System.Globalization;
using System.Text;

namespace SoxAuto.Core.Audit;

/// <summary>What may be written into an audit field. Fields can carry text from outside (a name typed
/// into a form, a provider's error message), and the trail is append-only: nothing put there can be
/// taken out. So each field is bounded in length and holds no control or invisible formatting
/// characters (a newline could fake a second line in an export, a bidi override could disguise text);
/// such characters are kept visible as \n or \u202E escapes.</summary>
public static class AuditText
{
    public const int MaxDetail = 8_000;
    public const int MaxField = 400;

    /// <summary>Every field of an entry, cleaned: <see cref="MaxDetail"/> for the detail,
    /// <see cref="MaxField"/> for the others.</summary>
    public static (string Who, string Action, string Subject, string Detail, string Origin) Clean(
        string who, string action, string subject, string detail, string origin) =>
        (Clean(who, MaxField), Clean(action, MaxField), Clean(subject, MaxField), Clean(detail, MaxDetail), Clean(origin, MaxField));

    /// <summary>At most <paramref name="max"/> characters of <paramref name="text"/>, escapes included;
    /// what is cut is said, with its length, so a shortened field cannot pass for the whole.</summary>
    public static string Clean(string? text, int max)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var clean = new StringBuilder(Math.Min(text.Length, max) + 16);
        var used = 0;
        for (; used < text.Length; used++)
        {
            var piece = Escape(text, used);
            if (clean.Length + piece.Length > max) break;
            clean.Append(piece);
            if (piece.Length == 2 && char.IsSurrogatePair(text, used)) used++;
        }
        if (used < text.Length)
            clean.Append(CultureInfo.InvariantCulture, $"… ({text.Length - used:N0} more characters not recorded)");
        return clean.ToString();
    }

    private static string Escape(string text, int i)
    {
        var c = text[i];
        if (char.IsSurrogatePair(text, i)) return text.Substring(i, 2);
        return c switch
        {
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            _ when char.IsControl(c) || char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => $"\\u{(int)c:X4}",
            _ => c.ToString(),
        };
    }
}
