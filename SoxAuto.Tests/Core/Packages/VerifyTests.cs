using System.IO.Compression;
using SoxAuto.Core;
using SoxAuto.Core.Packages;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;
using static SoxAuto.Tests.Fixtures.ReviewHost;

namespace SoxAuto.Tests.Core.Packages;

/// <summary>The verifier behind the Verify page and verb: an untouched workbook, extract, package or
/// certificate names its run; the same file with one byte changed is refused, naming what differs.</summary>
public sealed class VerifyTests(ReviewHost review) : IClassFixture<ReviewHost>
{
    public enum Kind { Workbook, Extract, Package, Certificate }

    [Theory]
    [InlineData(Kind.Workbook)]
    [InlineData(Kind.Extract)]
    [InlineData(Kind.Package)]
    [InlineData(Kind.Certificate)]
    public async Task An_untouched_file_matches_and_names_its_run(Kind kind)
    {
        var (run, path) = await FileOfAsync(kind);

        var result = await VerifyAsync(path);

        Assert.True(result.Matches, result.Summary + " " + string.Join("; ", result.Items.Select(i => $"{i.What}: {i.Detail}")));
        Assert.Equal([run.Id], result.RunIds);
        Assert.Contains($"run {run.Id} (IPE_09, 2025-09", result.Summary);
    }

    [Theory]
    [InlineData(Kind.Workbook, "workbook part")]
    [InlineData(Kind.Extract, "data row")]
    [InlineData(Kind.Package, "")]
    [InlineData(Kind.Certificate, "Certificate issued for run")]
    public async Task The_same_file_with_one_byte_changed_is_refused_and_what_differs_is_named(Kind kind, string differs)
    {
        var (run, path) = await FileOfAsync(kind);
        await ChangeOneByteAsync(path, kind);

        var result = await VerifyAsync(path);

        Assert.False(result.Matches, result.Summary);
        Assert.Contains(result.Items, i => !i.Matches && (i.What + " " + i.Detail).Contains(differs, StringComparison.Ordinal));
        if (kind != Kind.Package || result.RunIds.Count > 0) Assert.Equal([run.Id], result.RunIds);
    }

    [Fact]
    public async Task A_package_whose_file_was_replaced_names_that_file()
    {
        var (run, path) = await FileOfAsync(Kind.Package);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var name = run.FileStem + ".csv";
            zip.GetEntry(name)!.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(name).Open());
            await writer.WriteAsync("\"order_id\"\n\"1\"\n");
        }

        var result = await VerifyAsync(path);

        Assert.False(result.Matches);
        Assert.Equal([run.Id], result.RunIds);
        var bad = Assert.Single(result.Items, i => !i.Matches);
        Assert.Equal(run.FileStem + ".csv", bad.What);
        Assert.Contains("manifest.json lists", bad.Detail);
    }

    [Fact]
    public async Task A_file_that_belongs_to_no_run_says_so()
    {
        var path = Path.Combine(review.Host.DataPath, "notes.csv");
        await File.WriteAllTextAsync(path, "\"a\"\n\"1\"\n");

        var result = await VerifyAsync(path);

        Assert.False(result.Matches);
        Assert.Empty(result.RunIds);
        Assert.Contains("belongs to no run", result.Summary);
    }

    private Task<Verification> VerifyAsync(string path) =>
        review.Host.Get<EvidenceVerifier>().VerifyAsync(path, Path.GetFileName(path), Rita);

    /// <summary>A fresh copy of one evidence file of a new run of IPE_09, under its delivered name.</summary>
    private async Task<(Run Run, string Path)> FileOfAsync(Kind kind)
    {
        var run = await review.SucceededRunAsync(Ada);
        var dir = Directory.CreateDirectory(Path.Combine(review.Host.DataPath, "downloads", Guid.NewGuid().ToString("N"))).FullName;
        var folder = review.Host.Get<DataFolder>();
        switch (kind)
        {
            case Kind.Workbook:
                return (run, Copy(folder.Absolute(run.WorkbookPath!), Path.Combine(dir, run.FileStem + ".xlsx")));
            case Kind.Extract:
                return (run, Copy(folder.Absolute(run.ExtractPath!), Path.Combine(dir, run.FileStem + ".csv")));
        }
        var packages = review.Host.Get<EvidencePackages>();
        var contents = (await packages.OpenAsync(run.Id, Rita, "test"))!;
        var package = Path.Combine(dir, contents.FileName);
        await using (var file = File.Create(package))
            await packages.WriteAsync(contents, file, Rita, "package.built");
        if (kind == Kind.Package) return (run, package);
        var certificate = Path.Combine(dir, "certificate.pdf");
        await File.WriteAllBytesAsync(certificate, EvidencePackageTests.Entry(await File.ReadAllBytesAsync(package), "certificate.pdf"));
        return (run, certificate);
    }

    private static string Copy(string from, string to)
    {
        File.Copy(from, to);
        return to;
    }

    /// <summary>One byte changed where it stays readable: a digit of the last data row of an extract, a
    /// byte inside a workbook's or package's stored content, a letter of the certificate's text.</summary>
    private static async Task ChangeOneByteAsync(string path, Kind kind)
    {
        var bytes = await File.ReadAllBytesAsync(path);
        var at = kind switch
        {
            Kind.Extract => Array.FindLastIndex(bytes, b => b is >= (byte)'0' and <= (byte)'8'),
            Kind.Certificate => IndexOf(bytes, "/Producer"u8) + 2,
            _ => bytes.Length / 2,
        };
        bytes[at] = kind == Kind.Extract ? (byte)(bytes[at] + 1) : (byte)(bytes[at] ^ 0x01);
        await File.WriteAllBytesAsync(path, bytes);
    }

    private static int IndexOf(byte[] bytes, ReadOnlySpan<byte> what)
    {
        var at = bytes.AsSpan().IndexOf(what);
        return at >= 0 ? at : throw new InvalidOperationException("Marker not found in the certificate.");
    }
}
