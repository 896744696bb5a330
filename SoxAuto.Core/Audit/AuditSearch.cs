using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Data;

namespace SoxAuto.Core.Audit;

/// <summary>What an admin narrows the audit trail to. Every part is optional; text matches ignore letter case.</summary>
/// <param name="Who">Part of the name recorded as who acted.</param>
/// <param name="Action">An event kind (<c>run.requested</c>), or a family of them (<c>run</c> for every <c>run.*</c>).</param>
/// <param name="From">The first day (UTC), inclusive.</param>
/// <param name="To">The last day (UTC), inclusive.</param>
/// <param name="Run">A run: entries about it (<c>run/12</c>) and refused requests for its pages and files.</param>
/// <param name="Ipe">An IPE: entries about it or its versions, entries naming it, and entries about its runs.</param>
/// <param name="Text">Part of any field.</param>
public sealed record AuditFilter(
    string? Who = null, string? Action = null, DateOnly? From = null, DateOnly? To = null, int? Run = null, string? Ipe = null, string? Text = null)
{
    /// <summary>The filter in words, for the export's own audit entry.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Has(Who)) parts.Add($"who contains '{Who!.Trim()}'");
        if (Has(Action)) parts.Add($"action {Action!.Trim()}");
        if (From is { } f) parts.Add($"from {f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        if (To is { } t) parts.Add($"to {t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        if (Run is { } r) parts.Add($"run {r.ToString(CultureInfo.InvariantCulture)}");
        if (Has(Ipe)) parts.Add($"IPE {Ipe!.Trim()}");
        if (Has(Text)) parts.Add($"text '{Text!.Trim()}'");
        return parts.Count == 0 ? "every entry" : string.Join("; ", parts);
    }

    internal static bool Has(string? s) => !string.IsNullOrWhiteSpace(s);
}

/// <summary>Reads the audit trail for people: a page at a time, newest first, or every matching entry as a
/// stream, oldest first (the export). The trail grows without bound, so nothing here loads it whole.</summary>
public sealed class AuditSearch(IDbContextFactory<SoxAutoDb> dbs)
{
    public async Task<(IReadOnlyList<AuditEntry> Entries, int Total)> PageAsync(AuditFilter filter, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var query = Where(db, filter);
        var total = await query.CountAsync(ct);
        var entries = await query.OrderByDescending(a => a.Id).Skip(skip).Take(take).ToListAsync(ct);
        return (entries, total);
    }

    /// <summary>Every matching entry up to and including <paramref name="upToId"/>, oldest first, read as a stream.</summary>
    public async IAsyncEnumerable<AuditEntry> StreamAsync(AuditFilter filter, long upToId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await foreach (var e in Where(db, filter).Where(a => a.Id <= upToId).OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(ct))
            yield return e;
    }

    private static IQueryable<AuditEntry> Where(SoxAutoDb db, AuditFilter f)
    {
        var q = db.AuditTrail.AsNoTracking();
        if (AuditFilter.Has(f.Who))
            q = q.Where(a => EF.Functions.Like(a.Who.ToLower(), Contains(f.Who!), Escape));
        if (AuditFilter.Has(f.Action))
        {
            var action = f.Action!.Trim().ToLowerInvariant().TrimEnd('.', '*');
            var family = Like(action) + ".%";
            q = q.Where(a => a.Action == action || EF.Functions.Like(a.Action, family, Escape));
        }
        if (f.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            q = q.Where(a => a.At >= start);
        }
        if (f.To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            q = q.Where(a => a.At < end);
        }
        if (f.Run is { } run)
        {
            // Refused requests are recorded with the address asked for, e.g. /runs/12/evidence.xlsx, or the
            // API's /api/v1/runs/12/extract.csv.
            var subject = $"run/{run.ToString(CultureInfo.InvariantCulture)}";
            var page = $"/runs/{run.ToString(CultureInfo.InvariantCulture)}";
            var api = "/api/v1" + page;
            q = q.Where(a => a.Subject == subject || a.Subject == page || EF.Functions.Like(a.Subject, Like(page) + "/%", Escape)
                || a.Subject == api || EF.Functions.Like(a.Subject, Like(api) + "/%", Escape));
        }
        if (AuditFilter.Has(f.Ipe))
        {
            var ipe = f.Ipe!.Trim();
            var subject = $"ipe/{ipe}";
            var runs = db.Runs.Where(r => r.IpeId == ipe).Select(r => "run/" + r.Id);
            q = q.Where(a => a.Subject == subject || EF.Functions.Like(a.Subject, Like(subject) + "/%", Escape)
                || EF.Functions.Like(a.Detail.ToLower(), Contains(ipe), Escape) || runs.Contains(a.Subject));
        }
        if (AuditFilter.Has(f.Text))
        {
            var text = Contains(f.Text!);
            q = q.Where(a => EF.Functions.Like(a.Who.ToLower(), text, Escape) || EF.Functions.Like(a.Action.ToLower(), text, Escape)
                || EF.Functions.Like(a.Subject.ToLower(), text, Escape) || EF.Functions.Like(a.Detail.ToLower(), text, Escape)
                || EF.Functions.Like(a.Origin.ToLower(), text, Escape));
        }
        return q;
    }

    private const string Escape = "\\";

    /// <summary>"Contains", whatever the letter case, matched against a lower-cased column: SQLite's LIKE ignores
    /// case and PostgreSQL's does not, so both compare lower case.</summary>
    private static string Contains(string text) => "%" + Like(text.Trim().ToLowerInvariant()) + "%";

    /// <summary>The text matched literally by LIKE: its own % and _ are not wildcards.</summary>
    private static string Like(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
