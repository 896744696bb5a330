using System.Text;
using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Checks;

/// <summary>
/// Some values of a row as one text key, built in a reusable buffer so that a lookup per row allocates
/// nothing (dictionaries are searched by span). Values are joined by <see cref="Separator"/>; NULL is
/// <see cref="Null"/>, which no text value is, so NULL and "" stay apart.
/// </summary>
internal sealed class RowKey
{
    public const char Separator = '\u001F', Null = '\u0000';

    private char[] _chars = new char[256];

    public ReadOnlySpan<char> Of(IExtractRow row, ReadOnlySpan<int> columns)
    {
        var length = 0;
        for (var i = 0; i < columns.Length; i++)
        {
            if (i > 0) Append(ref length, Separator);
            if (row.IsNull(columns[i])) Append(ref length, Null);
            else
            {
                var value = row.Value(columns[i]);
                Ensure(length + Encoding.UTF8.GetMaxCharCount(value.Length));
                length += Encoding.UTF8.GetChars(value, _chars.AsSpan(length));
            }
        }
        return _chars.AsSpan(0, length);
    }

    /// <summary>A key built from text values (a control query's, a witness's); null is NULL.</summary>
    public static string Of(IEnumerable<string?> values) => string.Join(Separator, values.Select(v => v ?? Null.ToString()));

    /// <summary>The key's values as a person reads them: <c>EC_KE / 13024</c>.</summary>
    public static string Shown(string key) => key.Length == 0 ? "(all rows)"
        : string.Join(" / ", key.Split(Separator).Select(v => v == Null.ToString() ? "NULL" : v));

    private void Append(ref int length, char c)
    {
        Ensure(length + 1);
        _chars[length++] = c;
    }

    private void Ensure(int length)
    {
        if (_chars.Length < length) Array.Resize(ref _chars, Math.Max(length, _chars.Length * 2));
    }
}
