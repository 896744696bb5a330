using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using SoxAuto.Core.Audit;
using SoxAuto.Web.Auth;

namespace SoxAuto.Web.Endpoints;

/// <summary>The audit trail's filtered entries as CSV (admins), streamed so that any length of trail can
/// be exported. The export is itself an audit entry, recorded first; the file's last row is that entry,
/// whatever the filters: its hash is the chain's head when the file was made, an anchor to keep.</summary>
public static class AuditExport
{
    public const string Path = "/admin/audit/export.csv";

    public static IEndpointRouteBuilder MapAuditExport(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, async (HttpContext http, AuditTrail audit, AuditSearch search, TimeProvider clock) =>
            {
                if (!AuditQuery.TryRead(http.Request.Query, out var filter, out var error))
                    return Results.Text(error, "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
                var export = await audit.RecordAsync(http.User, ClientOrigin.Of(http), "audit.exported", "audit-trail",
                    $"CSV of {filter.Describe()}; this entry is the file's last row.", http.RequestAborted);
                var stamp = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
                return Results.Stream(async body =>
                {
                    await using var csv = new StreamWriter(body, AuditCsv.Encoding, 1 << 16, leaveOpen: true);
                    await AuditCsv.WriteHeaderAsync(csv);
                    var last = 0L;
                    await foreach (var e in search.StreamAsync(filter, export.Id, http.RequestAborted))
                    {
                        await AuditCsv.WriteAsync(csv, e);
                        last = e.Id;
                    }
                    if (last != export.Id) await AuditCsv.WriteAsync(csv, export);
                }, "text/csv; charset=utf-8", $"soxauto-audit-trail_{stamp}.csv");
            })
            .RequireAuthorization(Policies.Admin);
        return app;
    }
}

/// <summary>The audit trail's filters in an address (the page's and the export's): who, action, from, to
/// (days, yyyy-MM-dd, UTC, inclusive), run, ipe, q (free text).</summary>
public static class AuditQuery
{
    public static bool TryRead(IQueryCollection query, out AuditFilter filter, out string error)
    {
        filter = new AuditFilter();
        error = "";
        if (!TryDay(query["from"], "from", out var from, ref error) || !TryDay(query["to"], "to", out var to, ref error))
            return false;
        int? run = null;
        if (query["run"].ToString() is { Length: > 0 } r)
        {
            if (!int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                error = $"run = {Core.UserText.Quote(r)} is not a run number.";
                return false;
            }
            run = n;
        }
        filter = new AuditFilter(query["who"], query["action"], from, to, run, query["ipe"], query["q"]);
        return true;
    }

    public static bool TryDay(string? text, string name, out DateOnly? day, ref string error)
    {
        day = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            day = d;
            return true;
        }
        error = $"{name} = {Core.UserText.Quote(text)} is not a day such as 2025-09-30.";
        return false;
    }

    /// <summary>The address of <paramref name="path"/> with <paramref name="f"/>'s filters.</summary>
    public static string Address(string path, AuditFilter f)
    {
        var q = new Dictionary<string, string?>
        {
            ["who"] = f.Who,
            ["action"] = f.Action,
            ["from"] = Day(f.From),
            ["to"] = Day(f.To),
            ["run"] = f.Run?.ToString(CultureInfo.InvariantCulture),
            ["ipe"] = f.Ipe,
            ["q"] = f.Text,
        };
        return QueryHelpers.AddQueryString(path, q.Where(p => !string.IsNullOrWhiteSpace(p.Value)));
    }

    private static string? Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
