using System.Text;

namespace SoxAuto.Core;

/// <summary>What a person typed, quoted back in a message: short and on one line, whatever they typed
/// (a 10,000-character paste or a line break must not become a 10,000-character or two-line message).</summary>
public static class UserText
{
    private const int MaxLength = 40;

    public static string Quote(string? text)
    {
        var s = text ?? "";
        var shown = new StringBuilder(Math.Min(s.Length, MaxLength) + 3).Append('\'');
        var cut = s.Length <= MaxLength ? s.Length : char.IsHighSurrogate(s[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
        foreach (var c in s.AsSpan(0, cut))
            shown.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? '\uFFFD' : c);
        if (cut < s.Length) shown.Append('…');
        return shown.Append('\'').ToString();
    }
}
