using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using DocumentFormat.OpenXml.Validation;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Evidence;
using SoxAuto.Core.Evidence.Workbook;
using SoxAuto.Core.Extract;

namespace SoxAuto.Tests.Core.Evidence;

/// <summary>The Data sheets are deflated in blocks on several threads and joined into one deflate
/// stream (<see cref="ParallelDeflateStream"/>) inside a zip written by <see cref="ZipPackageWriter"/>:
/// checked with standard tools (gzip's inflater, unzip's CRC test) and the OpenXML validator.</summary>
public sealed class ParallelDeflateTests : IDisposable
{
    private readonly EvidenceTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private static byte[] Deflate(byte[] data, int workers, int blockBytes, IEnumerable<int>? writes = null)
    {
        var output = new MemoryStream();
        using (var deflate = new ParallelDeflateStream(output, CompressionLevel.Fastest, workers, blockBytes))
        {
            var at = 0;
            foreach (var size in writes ?? [data.Length])
            {
                var n = Math.Min(size, data.Length - at);
                deflate.Write(data, at, n);
                at += n;
            }
            deflate.Write(data, at, data.Length - at);
        }
        return output.ToArray();
    }

    /// <summary>Inflates with gzip (a standard inflater that insists on the final block, the CRC-32 and
    /// the length): the raw deflate stream is given gzip's 10-byte header and 8-byte trailer.</summary>
    private static byte[] GunzipRaw(byte[] deflate, byte[] original)
    {
        var gz = new MemoryStream();
        gz.Write([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
        gz.Write(deflate);
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32.HashToUInt32(original));
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], (uint)original.Length);
        gz.Write(trailer);
        var path = Path.Combine(Path.GetTempPath(), "soxauto-deflate-" + Guid.NewGuid().ToString("N") + ".gz");
        File.WriteAllBytes(path, gz.ToArray());
        try
        {
            var start = new ProcessStartInfo("gzip", ["-dc", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var gzip = Process.Start(start)!;
            var output = new MemoryStream();
            var copy = gzip.StandardOutput.BaseStream.CopyToAsync(output);
            var errors = gzip.StandardError.ReadToEndAsync();
            Assert.True(gzip.WaitForExit(60_000), "gzip did not finish");
            copy.Wait();
            Assert.True(gzip.ExitCode == 0, "gzip -dc: " + errors.Result);
            return output.ToArray();
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] SheetLikeBytes(int rows) => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(1, rows).Select(i =>
        string.Create(CultureInfo.InvariantCulture, $"<row r=\"{i}\"><c r=\"A{i}\"><v>{i * 7919 % 10007}</v></c><c r=\"B{i}\" t=\"inlineStr\"><is><t>Société ₦ {i % 13} 😀</t></is></c></row>"))));

    [Theory]
    [InlineData(0, 4096)]          // nothing at all: only the empty final block
    [InlineData(1000, 1 << 20)]    // a single block
    [InlineData(8192, 4096)]       // an exact multiple: the last block is empty
    [InlineData(200_000, 4093)]    // many blocks, cut inside multi-byte characters
    public void Blocks_joined_into_one_stream_inflate_with_gzip_to_the_original_bytes(int bytes, int blockBytes)
    {
        var data = SheetLikeBytes(4000).AsSpan(0, bytes).ToArray();
        Assert.Equal(bytes, data.Length);

        var deflated = Deflate(data, workers: 3, blockBytes, writes: [1, 5000, 7, 65536]);

        Assert.Equal(data, GunzipRaw(deflated, data));
    }

    [Fact]
    public void A_block_boundary_in_the_middle_of_a_multibyte_character_inflates_to_the_character()
    {
        var data = Encoding.UTF8.GetBytes("ab😀cd"); // the emoji is bytes 2..5
        var deflated = Deflate(data, workers: 2, blockBytes: 4);

        Assert.Equal("ab😀cd", Encoding.UTF8.GetString(GunzipRaw(deflated, data)));
    }

    [Fact]
    public void The_same_bytes_give_the_same_stream_with_one_worker_or_four()
    {
        var data = SheetLikeBytes(20_000);
        var one = Deflate(data, workers: 1, blockBytes: 16_384);
        var four = Deflate(data, workers: 4, blockBytes: 16_384, writes: [3, 70_000, 1]);

        Assert.Equal(one, four);
        Assert.True(one.Length < data.Length / 3, $"{one.Length} bytes of {data.Length}: not compressed");
    }

    /// <summary>The workbook as the evidence writer builds its Data sheets and package parts (the whole
    /// writer's Checks sheet also carries each check's duration, which differs from run to run).</summary>
    private async Task<string> DataWorkbookAsync(long rows, int workers)
    {
        var source = new SyntheticExtract("\"entry_no\",\"document_no\",\"amount\",\"posting_date\"", rows, i => string.Create(CultureInfo.InvariantCulture,
            $"\"{1_000_000 + i}\",\"DOC-{i % 100_000:D7} Société\",\"{i % 997 - 500}.{i % 100:D2}\",\"2025-09-{1 + i % 30:D2}\""));
        var result = EvidenceTestKit.Result(source, ("entry_no", "bigint"), ("document_no", "varchar"), ("amount", "decimal(18,2)"), ("posting_date", "date"));
        using (var package = new WorkbookPackage(_kit.WorkbookPath) { CompressionWorkers = workers })
        {
            using var data = new DataSheets(package, new ColumnFigures(package.Styles), 1, maxRowsPerSheet: 40_000, maxWorkbookRows: 5_000_000);
            await EvidencePass.RunAsync(result, [data], new PassBytes(Sha256: false), null, CancellationToken.None);
            package.Finish();
        }
        return Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_kit.WorkbookPath)));
    }

    [Fact]
    public async Task Workbook_with_parallel_compression_is_byte_identical_across_runs_and_worker_counts_and_valid()
    {
        const long rows = 60_000; // about 11 MB of sheet XML in two sheets: 20 blocks
        var hashes = new List<string>();
        foreach (var workers in new[] { 1, 4, 2, 4 })
        {
            hashes.Add(await DataWorkbookAsync(rows, workers));
            if (workers == 2) AssertValid(_kit.WorkbookPath);
        }

        Assert.Single(hashes.Distinct());
    }

    [Fact]
    public async Task Evidence_workbook_with_parallel_compression_is_valid_per_the_OpenXml_validator_and_unzip()
    {
        const long rows = 30_000;
        var source = new SyntheticExtract("\"entry_no\",\"amount\"", rows, i => string.Create(CultureInfo.InvariantCulture, $"\"{1_000_000 + i}\",\"{i % 997}.50\""));
        var checks = EvidenceTestKit.Checks(new CheckSettings { RequiredColumns = ["entry_no"] });
        await new EvidenceWriter { CompressionWorkers = 3 }.WriteAsync(_kit.Request(), EvidenceTestKit.Result(source, ("entry_no", "bigint"), ("amount", "decimal(18,2)")),
            checks, null, CancellationToken.None);

        AssertValid(_kit.WorkbookPath);
        using var book = new WorkbookReadBack(_kit.WorkbookPath);
        Assert.Equal(["Evidence", "Query", "Data", "Checks", "Columns"], book.SheetNames);
        Assert.Equal("1030000", book.Cell("Data", "A30001")!.CellValue!.Text);
    }

    private static void AssertValid(string path)
    {
        using (var book = new WorkbookReadBack(path))
        {
            var errors = new OpenXmlValidator().Validate(book.WorkbookPart.OpenXmlPackage).Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
        UnzipTest(path);
    }

    /// <summary>Info-ZIP's unzip inflates every entry and checks its CRC-32 and sizes.</summary>
    private static void UnzipTest(string path)
    {
        var start = new ProcessStartInfo("unzip", ["-t", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var unzip = Process.Start(start)!;
        var output = unzip.StandardOutput.ReadToEndAsync();
        var errors = unzip.StandardError.ReadToEndAsync();
        Assert.True(unzip.WaitForExit(60_000), "unzip did not finish");
        Assert.True(unzip.ExitCode == 0, $"unzip -t: {output.Result} {errors.Result}");
    }

    [Fact]
    public void Zip64_records_written_when_needed_are_read_by_ZipArchive_and_unzip()
    {
        var path = Path.Combine(_kit.Folder, "zip64.zip");
        var data = SheetLikeBytes(3000);
        using (var file = new FileStream(path, FileMode.Create))
        {
            var zip = new ZipPackageWriter(file) { Zip64Threshold = 100 }; // as if every size and offset passed 4 GiB
            using (var part = zip.CreateEntry("small.xml", CompressionLevel.Optimal, parallel: true, workers: 2)) part.Write("<a/>"u8);
            using (var part = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest, parallel: true, workers: 2)) part.Write(data);
            zip.Finish();
        }

        using (var archive = ZipFile.OpenRead(path))
        {
            var sheet = archive.GetEntry("xl/worksheets/sheet1.xml")!;
            Assert.Equal(data.Length, sheet.Length);
            var read = new MemoryStream();
            using (var s = sheet.Open()) s.CopyTo(read);
            Assert.Equal(data, read.ToArray());
        }
        UnzipTest(path);
    }

    [Fact]
    public void A_part_that_is_not_large_refuses_zip64_rather_than_writing_a_broken_header()
    {
        using var file = new FileStream(Path.Combine(_kit.Folder, "small.zip"), FileMode.Create);
        var zip = new ZipPackageWriter(file) { Zip64Threshold = 100 };
        var part = zip.CreateEntry("styles.xml", CompressionLevel.Optimal);
        part.Write(SheetLikeBytes(100));

        Assert.Throws<IOException>(part.Dispose);
    }
}
