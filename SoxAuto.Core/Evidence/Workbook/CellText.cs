using System.Buffers;

namespace SoxAuto.Core.Evidence.Workbook;

/// <summary>
/// Makes any text safe for an inline-string cell. XML 1.0 cannot carry most control characters, so
/// they are written with SpreadsheetML's own escape <c>_xHHHH_</c>, which Excel turns back into the
/// character; a literal <c>_xHHHH_</c> in the data gets its underscore escaped (<c>_x005F_</c>) so Excel
/// does not decode it. A lone UTF-16 surrogate (not valid Unicode) becomes U+FFFD. Text longer than
/// Excel's 32,767 characters per cell is cut there; the stored extract keeps the whole value.
/// </summary>
internal static class CellText
{
    private static readonly SearchValues<char> NeedsCare = SearchValues.Create(BuildNeedsCare());

    /// <summary>Returns the characters to write: <paramref name="text"/> itself when nothing needs
    /// escaping, otherwise an escaped copy in <paramref name="scratch"/>.</summary>
    public static ReadOnlySpan<char> Escape(ReadOnlySpan<char> text, ref char[] scratch, out bool truncated)
    {
        truncated = text.Length > ExcelLimits.CellCharacters;
        if (truncated)
        {
            var cut = ExcelLimits.CellCharacters;
            if (char.IsHighSurrogate(text[cut - 1])) cut--; // do not split a surrogate pair
            text = text[..cut];
        }
        var first = text.IndexOfAny(NeedsCare);
        if (first < 0) return text;
        if (scratch.Length < text.Length * 7) scratch = new char[text.Length * 7]; // worst case: every char becomes _xHHHH_
        text[..first].CopyTo(scratch);
        var n = first;
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '_')
            {
                if (IsEscapePattern(text[i..])) n = Hex('_', scratch, n);
                else scratch[n++] = c;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                scratch[n++] = c;
                scratch[n++] = text[++i];
            }
            else if (char.IsSurrogate(c))
            {
                scratch[n++] = '\uFFFD';
            }
            else if (IsXmlChar(c))
            {
                scratch[n++] = c;
            }
            else
            {
                n = Hex(c, scratch, n);
            }
        }
        return scratch.AsSpan(0, n);
    }

    private static bool IsXmlChar(char c) => c is '\t' or '\n' or '\r' or (>= ' ' and < '\uFFFE');

    private static bool IsEscapePattern(ReadOnlySpan<char> s)
        => s.Length >= 7 && s[1] == 'x' && s[6] == '_' && char.IsAsciiHexDigit(s[2]) && char.IsAsciiHexDigit(s[3])
           && char.IsAsciiHexDigit(s[4]) && char.IsAsciiHexDigit(s[5]);

    private static int Hex(char c, char[] to, int n)
    {
        to[n++] = '_';
        to[n++] = 'x';
        ((int)c).TryFormat(to.AsSpan(n, 4), out _, "X4");
        n += 4;
        to[n++] = '_';
        return n;
    }

    private static string BuildNeedsCare()
    {
        var chars = new List<char> { '_', '\uFFFE', '\uFFFF' };
        for (var c = '\0'; c < ' '; c++)
            if (c is not ('\t' or '\n' or '\r')) chars.Add(c);
        for (var c = '\uD800'; c <= '\uDFFF'; c++) chars.Add(c);
        return new string(chars.ToArray());
    }
}
