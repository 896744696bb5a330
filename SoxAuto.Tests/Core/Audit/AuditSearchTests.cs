using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SoxAuto.Core.Audit;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Audit;

/// <summary>The admin's filters over the audit trail: who, what, when, run, IPE, any text.</summary>
public sealed class AuditSearchTests
{
    [Fact]
    public async Task Each_filter_narrows_the_trail_to_the_entries_it_names()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 9, 30, 23, 59, 0, TimeSpan.Zero));
        var trail = new AuditTrail(database.Dbs, clock, NullLogger<AuditTrail>.Instance);
        await trail.RecordAsync("Ada Auditor", "signin", "person/ada");                                        // 1: 2025-09-30
        clock.Advance(TimeSpan.FromMinutes(2));
        await trail.RecordAsync("Ada Auditor", "run.requested", "run/12", "IPE_09 v1 for 2025-09");         // 2: 2025-10-01
        await trail.RecordAsync("system", "run.succeeded", "run/12", "1,204 rows");                          // 3
        await trail.RecordAsync("Sam Auditor", "access.denied", "/runs/12/evidence.xlsx", "not the runner"); // 4
        await trail.RecordAsync("Sam Auditor", "access.denied", "/runs/120", "not the runner");              // 5: another run
        await trail.RecordAsync("Alan Admin", "ipe.draft", "ipe/IPE_07/v2", "100% of rows");                 // 6
        clock.Advance(TimeSpan.FromDays(1));
        await trail.RecordAsync("Beth Admin", "ipe.approved", "ipe/IPE_07/v2", "");                           // 7: 2025-10-02
        var search = new AuditSearch(database.Dbs);

        async Task<long[]> Ids(AuditFilter f) => (await search.PageAsync(f, 0, 100)).Entries.Select(e => e.Id).Order().ToArray();

        Assert.Equal(new long[] { 4, 5 }, await Ids(new AuditFilter(Who: "sam")));
        Assert.Equal(new long[] { 2, 3 }, await Ids(new AuditFilter(Action: "run")));
        Assert.Equal(new long[] { 2 }, await Ids(new AuditFilter(Action: "run.requested")));
        Assert.Equal(new long[] { 1 }, await Ids(new AuditFilter(To: new DateOnly(2025, 9, 30))));
        Assert.Equal(new long[] { 7 }, await Ids(new AuditFilter(From: new DateOnly(2025, 10, 2))));
        Assert.Equal(new long[] { 2, 3, 4 }, await Ids(new AuditFilter(Run: 12)));
        Assert.Equal(new long[] { 6, 7 }, await Ids(new AuditFilter(Ipe: "IPE_07")));
        Assert.Equal(new long[] { 2 }, await Ids(new AuditFilter(Ipe: "IPE_09")));
        // LIKE's wildcards in the text are matched as themselves.
        Assert.Equal(new long[] { 6 }, await Ids(new AuditFilter(Text: "100%")));
        Assert.Empty(await Ids(new AuditFilter(Text: "_%")));
        Assert.Equal(new long[] { 4 }, await Ids(new AuditFilter(Who: "Sam", Run: 12)));

        var (page, total) = await search.PageAsync(new AuditFilter(), 2, 2);
        Assert.Equal(7, total);
        Assert.Equal([5, 4], page.Select(e => e.Id));
    }

    [Fact]
    public async Task The_run_filter_also_finds_the_APIs_refused_requests_for_the_run()
    {
        await using var database = await TestDatabase.CreateAsync();
        var trail = new AuditTrail(database.Dbs, TimeProvider.System, NullLogger<AuditTrail>.Instance);
        await trail.RecordAsync("token:bot", "access.denied", "/api/v1/runs/12", "not the runner");             // 1
        await trail.RecordAsync("token:bot", "access.denied", "/api/v1/runs/12/extract.csv", "not the runner"); // 2
        await trail.RecordAsync("token:bot", "access.denied", "/api/v1/runs/120", "not the runner");            // 3: another run

        var found = await new AuditSearch(database.Dbs).PageAsync(new AuditFilter(Run: 12), 0, 100);

        Assert.Equal(new long[] { 1, 2 }, found.Entries.Select(e => e.Id).Order().ToArray());
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a, b", "\"a, b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    public void A_CSV_field_is_quoted_as_RFC_4180_asks_and_never_read_as_a_formula(string value, string written)
    {
        Assert.Equal(written, AuditCsv.Field(value));
    }
}
