using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.VisualBasic.FileIO;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>The audit trail's CSV export over real HTTP: admins only, filtered, recorded, and every row's
/// hash recomputable from the file alone.</summary>
public sealed class AuditExportTests
{
    [Fact]
    public async Task An_admin_exports_the_filtered_trail_as_CSV_whose_rows_chain_and_whose_last_row_is_the_export()
    {
        await using var app = SoxAutoApp.Start();
        using (await app.SignedInClientAsync("ada")) { }
        using (await app.SignedInClientAsync("sam")) { }
        using var alan = await app.SignedInClientAsync("alan");

        using var response = await alan.GetAsync("admin/audit/export.csv?action=signin&who=auditor");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        var rows = ReadCsv(bytes);
        Assert.Equal(AuditCsv.Header, rows[0]);
        Assert.Equal([("Ada Auditor", "signin"), ("Sam Auditor", "signin"), ("Alan Admin", "audit.exported")], rows[1..].Select(r => (r[2], r[3])));
        Assert.Contains("CSV of who contains 'auditor'; action signin", rows[^1][5]);
        // Each row's hash is recomputed from the row itself, as an auditor with the file alone would.
        foreach (var r in rows[1..])
        {
            var entry = new AuditEntry
            {
                At = DateTimeOffset.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture),
                Who = r[2],
                Action = r[3],
                Subject = r[4],
                Detail = r[5],
                Origin = r[6],
                PreviousHash = r[8],
                WhoSubject = r[10].Length == 0 ? null : r[10],
                Format = int.Parse(r[11], System.Globalization.CultureInfo.InvariantCulture),
                Hash = r[9],
            };
            Assert.Equal(entry.Hash, AuditTrail.HashOf(entry));
        }
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var exported = await db.AuditTrail.SingleAsync(a => a.Action == "audit.exported");
        Assert.Equal(("Alan Admin", TestPeople.SubjectOf("Alan Admin")), (exported.Who, exported.WhoSubject));
    }

    [Fact]
    public async Task Only_admins_may_export_and_a_filter_that_cannot_be_read_is_refused_with_its_reason()
    {
        await using var app = SoxAutoApp.Start();
        using var rita = await app.SignedInClientAsync("rita");
        using var refused = await rita.GetAsync("admin/audit/export.csv");
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);

        using var alan = await app.SignedInClientAsync("alan");
        using var bad = await alan.GetAsync("admin/audit/export.csv?from=30.09.2025");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("from = '30.09.2025' is not a day such as 2025-09-30.", await bad.Content.ReadAsStringAsync());

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        Assert.False(await db.AuditTrail.AnyAsync(a => a.Action == "audit.exported"));
    }

    /// <summary>Reads CSV with .NET's own RFC 4180 parser (not SoxAuto's writer).</summary>
    private static List<string[]> ReadCsv(byte[] bytes)
    {
        using var parser = new TextFieldParser(new MemoryStream(bytes), Encoding.UTF8) { HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
        parser.SetDelimiters(",");
        var rows = new List<string[]>();
        while (!parser.EndOfData) rows.Add(parser.ReadFields()!);
        return rows;
    }
}
