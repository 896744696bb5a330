using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using SoxAuto.Core.Evidence;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Packages;

/// <summary>One file of a package as manifest.json lists it.</summary>
public sealed record PackageFile(string Name, string Kind, string Sha256, long Bytes);

/// <summary>
/// manifest.json: every fact SoxAuto holds about the run (the run, the IPE version with its author and
/// approver, parameters, checks, column figures, control totals) and the SHA-256 and size of every other
/// file in the package. Verifying a package needs nothing else. Written with a fixed property order and
/// no time of writing, so the same run state always gives the same bytes.
/// </summary>
public static class PackageManifest
{
    public const string FileName = "manifest.json";
    public const string Format = "soxauto-evidence-package/1";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file, not HTML: keep the text readable
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static byte[] Write(Run run, IReadOnlyList<KeyValuePair<string, string>> controlTotals, IReadOnlyList<PackageFile> files)
    {
        var v = run.IpeVersion!;
        var manifest = new
        {
            format = Format,
            run = new
            {
                id = run.Id,
                state = run.State,
                message = run.Message,
                supersedesRunId = run.SupersedesRunId,
                requestedBy = run.RequestedBy,
                requestedBySubject = run.RequestedBySubject,
                requestedAt = run.RequestedAt,
                startedAt = run.StartedAt,
                finishedAt = run.FinishedAt,
                period = new { text = run.PeriodText, kind = run.Period.Kind, start = run.Period.Start, end = run.Period.End, nextStart = run.Period.NextStart },
                parameters = run.Parameters,
                engine = run.Engine,
                database = run.Database,
                executionId = run.ExecutionId,
                resultSource = run.ResultSource,
                dataScannedBytes = run.DataScannedBytes,
                engineMillis = run.EngineMillis,
                queueMillis = run.QueueMillis,
                totalMillis = run.TotalMillis,
                engineVersion = run.EngineVersion,
                reusedPreviousResult = run.ReusedPreviousResult,
                rowCount = run.RowCount,
            },
            ipe = new
            {
                version = new
                {
                    number = v.Number,
                    changeKind = v.ChangeKind,
                    basedOnNumber = v.BasedOnNumber,
                    authoredBy = v.AuthoredBy,
                    authoredBySubject = v.AuthoredBySubject,
                    authoredAt = v.AuthoredAt,
                    comment = v.Comment,
                    approvedBy = v.ApprovedBy,
                    approvedBySubject = v.ApprovedBySubject,
                    approvedAt = v.ApprovedAt,
                    reviewComment = v.ReviewComment,
                },
                definition = v.Definition,
            },
            controlTotals = controlTotals.Select(t => new { column = t.Key, total = t.Value }),
            // Every field SoxAuto records per check, as recorded (new fields appear here as they are added).
            checks = run.Checks.OrderBy(c => c.Order),
            columns = Columns(run),
            files,
        };
        return JsonSerializer.SerializeToUtf8Bytes(manifest, Json);
    }

    /// <summary>The files a manifest lists, or null when the text is not a SoxAuto manifest.</summary>
    public static IReadOnlyList<PackageFile>? FilesOf(JsonDocument manifest, out int? runId)
    {
        runId = null;
        var root = manifest.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.GetString() != Format
            || !root.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
            return null;
        if (root.TryGetProperty("run", out var run) && run.TryGetProperty("id", out var id) && id.TryGetInt32(out var n)) runId = n;
        return files.Deserialize<List<PackageFile>>(Json);
    }

    /// <summary>The IPE's amount columns with their exact totals over the extract (from the column figures).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ControlTotals(Run run)
    {
        var amounts = run.IpeVersion?.Definition.Checks.AmountColumns ?? [];
        var columns = Columns(run);
        return amounts.Select(a => columns.FirstOrDefault(c => string.Equals(c.Name, a, StringComparison.OrdinalIgnoreCase)) is { } c
                ? new KeyValuePair<string, string>(c.Name, c.Sum ?? "(no sum)")
                : new KeyValuePair<string, string>(a, "(not in the extract)"))
            .ToList();
    }

    private static List<ColumnProfile> Columns(Run run) => run.ColumnsJson is { Length: > 0 } json
        ? JsonSerializer.Deserialize<List<ColumnProfile>>(json, Data.SoxAutoDb.Json) ?? [] : [];

    /// <summary>signoff.json: the reviewer's decision and the files it covers.</summary>
    public static byte[] SignOffFile(SignOff s) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        runId = s.RunId,
        decision = s.Decision,
        by = s.By,
        bySubject = s.BySubject,
        at = s.At,
        comment = s.Comment,
        justification = s.Justification,
        files = s.Files,
    }, Json);
}
