using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using SoxAuto.Core.Access;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Packages;

/// <summary>
/// The one-page evidence certificate (PDF, written with PDFsharp 6.2.4): the IPE, control, period, version
/// and its approver, who ran it and when, the engine's execution id, rows, control totals, every check, the
/// SHA-256 of each file, and the sign-off when there is one. Deterministic: its dates are the run's, its
/// document id is derived from the run and sign-off, so the same run state always gives the same bytes.
/// </summary>
public static partial class Certificate
{
    public const string FileName = "certificate.pdf";
    private const double Margin = 48, Width = 595.28 - 2 * Margin; // A4 portrait, in points

    public static byte[] Write(Run run, SignOff? signOff, IReadOnlyList<RunFile> files, IReadOnlyList<KeyValuePair<string, string>> controlTotals)
    {
        CertificateFonts.EnsureInstalled();
        using var document = new PdfDocument();
        var finished = (run.FinishedAt ?? run.RequestedAt).UtcDateTime;
        document.Info.Title = Title(run);
        document.Info.Author = "SoxAuto";
        document.Info.Creator = "SoxAuto";
        document.Info.CreationDate = finished;
        document.Info.ModificationDate = finished;
        // The file identifier PDFsharp would draw at random, derived from what the certificate states instead.
        var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"soxauto run {run.Id} signoff {signOff?.Id}")), 0, 16);
        document.Internals.FirstDocumentID = id;
        document.Internals.SecondDocumentID = id;

        var page = document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        using (var g = XGraphics.FromPdfPage(page))
            new Writer(g).Body(run, signOff, files, controlTotals);
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return Reproducible(output.ToArray(), id);
    }

    /// <summary>
    /// PDFsharp 6.2.4 draws two things at random on every save (Guid.NewGuid): the six-letter tag of each
    /// embedded font subset (/ABCDEF+Segoe#20WP) and the XMP metadata's DocumentID and InstanceID. Each is
    /// replaced by a value derived from <paramref name="seed"/> and of the same length, so the byte offsets
    /// in the cross-reference table stay right and the same run state gives the same certificate.
    /// </summary>
    private static byte[] Reproducible(byte[] pdf, string seed)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var tags = FontSubsetTag().Matches(text).Select(m => m.Groups[2].Value).Distinct().ToList();
        for (var i = 0; i < tags.Count; i++)
            text = text.Replace($"/{tags[i]}+", $"/{Letters(Derived(seed, $"font {i}"))}+", StringComparison.Ordinal);
        text = XmpId().Replace(text, m => m.Groups[1].Value + new Guid(Derived(seed, m.Groups[1].Value)).ToString());
        var bytes = Encoding.Latin1.GetBytes(text);
        return bytes.Length == pdf.Length ? bytes : throw new InvalidOperationException("The certificate changed length while made reproducible.");
    }

    private static byte[] Derived(string seed, string what) => SHA256.HashData(Encoding.UTF8.GetBytes($"{seed} {what}"))[..16];

    private static string Letters(byte[] bytes) => string.Concat(bytes.Take(6).Select(b => (char)('A' + b % 26)));

    [GeneratedRegex(@"/(FontName|BaseFont)/([A-Z]{6})\+")]
    private static partial Regex FontSubsetTag();

    [GeneratedRegex(@"(<xmpMM:(?:DocumentID|InstanceID)>uuid:)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex XmpId();

    public static string Title(Run run) => $"SoxAuto evidence certificate: run {run.Id}, {run.IpeId}, {run.PeriodText}";

    /// <summary>Lays lines down the page, wrapping long values; the text stays small enough for one page.</summary>
    private sealed class Writer(XGraphics g)
    {
        private readonly XFont _title = new(CertificateFonts.Family, 16, XFontStyleEx.Bold);
        private readonly XFont _heading = new(CertificateFonts.Family, 9.5, XFontStyleEx.Bold);
        private readonly XFont _label = new(CertificateFonts.Family, 7.5, XFontStyleEx.Bold);
        private readonly XFont _text = new(CertificateFonts.Family, 7.5, XFontStyleEx.Regular);
        private const double LabelWidth = 120;
        private double _y = Margin;

        public void Body(Run run, SignOff? signOff, IReadOnlyList<RunFile> files, IReadOnlyList<KeyValuePair<string, string>> totals)
        {
            var v = run.IpeVersion!;
            var ipe = v.Definition;
            g.DrawString("Evidence certificate", _title, XBrushes.Black, Margin, _y + 14);
            _y += 22;
            Line(null, $"SoxAuto run {run.Id}: {run.IpeId} for {run.PeriodText}. Verify any file against the SHA-256 below: "
                + "sha256sum <file> (Linux, macOS) or Get-FileHash -Algorithm SHA256 <file> (Windows).");

            Heading("IPE");
            Line("IPE", $"{ipe.Id}: {ipe.Title}");
            Line("Control", ipe.Control);
            Line("Version", $"{v.Number}, authored by {PersonSubject.Describe(v.AuthoredBy, v.AuthoredBySubject)} at {UtcTime.Text(v.AuthoredAt)}");
            Line("Approved by", v.ApprovedBy is null ? "(not approved)" : $"{PersonSubject.Describe(v.ApprovedBy, v.ApprovedBySubject)} at {UtcTime.Text(v.ApprovedAt)}");
            Line("Period", $"{run.PeriodText}: {Iso(run.Period.Start)} to the cutoff {Iso(run.Period.End)}, both included");
            Line("Parameters", RunService.Describe(run.Parameters));

            Heading("Run");
            Line("Run by", PersonSubject.Describe(run.RequestedBy, run.RequestedBySubject));
            Line("Requested", UtcTime.Text(run.RequestedAt));
            Line("Query started", UtcTime.Text(run.StartedAt));
            Line("Finished", UtcTime.Text(run.FinishedAt));
            Line("Engine", $"{run.Engine}, database {run.Database}");
            Line("Execution id", run.ExecutionId ?? "");
            if (run.SupersedesRunId is { } earlier) Line("Re-runs", $"rejected run {earlier}");
            Line("Rows", run.RowCount?.ToString("N0", CultureInfo.InvariantCulture) ?? "");
            Line("Control totals", totals.Count == 0 ? "(the IPE names no amount column)" : string.Join("; ", totals.Select(t => $"{t.Key} {t.Value}")));

            Heading("Checks");
            if (run.Checks.Count == 0) Line(null, "No check was recorded for this run.");
            foreach (var c in run.Checks.OrderBy(c => c.Order))
                Line(c.Status.ToString(), $"{c.Name} (expected {c.Expected}; actual {c.Actual})");

            Heading("Files (SHA-256)");
            foreach (var f in files)
                Line(f.Name, $"{f.Sha256}  ({f.Bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes)");

            Heading("Sign-off");
            if (signOff is null)
            {
                Line(null, "Not signed off when this certificate was issued.");
                return;
            }
            Line("Decision", $"{signOff.Decision} by {PersonSubject.Describe(signOff.By, signOff.BySubject)} at {UtcTime.Text(signOff.At)}");
            Line("Comment", signOff.Comment);
            if (signOff.Justification is { } j) Line("Justification", j);
        }

        private void Heading(string text)
        {
            _y += 8;
            g.DrawString(text, _heading, XBrushes.Black, Margin, _y + 9);
            _y += 13;
        }

        /// <summary>A label in the left column and its value wrapped in the right one; past the page's
        /// end the value is cut with an ellipsis (the manifest has every word).</summary>
        private void Line(string? label, string value)
        {
            var x = label is null ? Margin : Margin + LabelWidth;
            var width = label is null ? Width : Width - LabelWidth;
            if (label is not null) g.DrawString(Fit(label, _label, LabelWidth - 6), _label, XBrushes.Black, Margin, _y + 7.5);
            foreach (var line in Wrap(value, width))
            {
                if (_y > 842 - Margin - 10)
                {
                    g.DrawString("…", _text, XBrushes.Black, x, _y + 7.5);
                    return;
                }
                g.DrawString(line, _text, XBrushes.Black, x, _y + 7.5);
                _y += 10;
            }
        }

        private IEnumerable<string> Wrap(string text, double width)
        {
            var line = new StringBuilder();
            foreach (var word in text.ReplaceLineEndings(" ").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : $"{line} {word}";
                if (line.Length > 0 && g.MeasureString(candidate, _text).Width > width)
                {
                    yield return line.ToString();
                    line.Clear().Append(word);
                }
                else
                {
                    line.Clear().Append(candidate);
                }
            }
            yield return line.ToString();
        }

        private string Fit(string text, XFont font, double width)
        {
            if (g.MeasureString(text, font).Width <= width) return text;
            while (text.Length > 1 && g.MeasureString(text + "…", font).Width > width) text = text[..^1];
            return text + "…";
        }
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
