using PdfSharp.Fonts;
using PdfSharp.WPFonts;

namespace SoxAuto.Core.Packages;

/// <summary>
/// PDFsharp measures and embeds real font files and finds none by itself on Linux. The certificate uses
/// Segoe WP, which ships inside the PDFsharp package (PdfSharp.WPFonts): no system font is needed, and the
/// certificate looks the same, byte for byte, on every machine.
/// </summary>
internal sealed class CertificateFonts : IFontResolver
{
    public const string Family = "SoxAuto Certificate";
    private const string Regular = "SegoeWP", Bold = "SegoeWP-Bold";
    private static readonly Lock Gate = new();

    /// <summary>Installs the resolver once per process (PDFsharp keeps it in a global setting).</summary>
    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not CertificateFonts)
                GlobalFontSettings.FontResolver = new CertificateFonts();
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? Bold : Regular);

    public byte[]? GetFont(string faceName) => faceName == Bold ? FontDataHelper.SegoeWPBold : FontDataHelper.SegoeWP;
}
