using System.Text;
using System.Text.Json;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Catalog;

/// <summary>The catalog as one JSON file, to move definitions between environments.</summary>
public sealed record CatalogFile(string Format, int FormatVersion, DateTimeOffset ExportedAt, string ExportedBy, IReadOnlyList<IpeDefinition> Ipes)
{
    public const string FormatName = "soxauto-ipe-catalog";
}

/// <summary>What an import did: the drafts it created, the IPEs identical to their active version, the entries it
/// left out and why (the earlier tool's SQL Server entries), and every problem found. When there is any
/// problem, nothing is created.</summary>
public sealed record ImportReport(IReadOnlyList<IpeVersion> Drafts, IReadOnlyList<string> Unchanged, IReadOnlyList<string> Problems,
    IReadOnlyList<ImportSkip>? Skipped = null)
{
    public bool Ok => Problems.Count == 0;
    public IReadOnlyList<ImportSkip> Skipped { get; } = Skipped ?? [];
}

/// <summary>An entry of the file that was not imported, with the line it starts on and the reason.</summary>
public sealed record ImportSkip(string IpeId, int Line, string Reason);

/// <summary>Export of the active catalog, and import as drafts that need a second admin's approval.</summary>
public sealed class CatalogTransfer(IpeCatalog catalog, IpeChanges changes, AuditTrail audit, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(SoxAutoDb.Json) { WriteIndented = true };

    public async Task<byte[]> ExportAsync(Actor actor, CancellationToken ct = default)
    {
        await changes.EnsureAdminAsync(actor, "catalog.export", "catalog", ct);
        var active = await catalog.ActiveAsync(ct);
        var file = new CatalogFile(CatalogFile.FormatName, 1, clock.GetUtcNow(), actor.Name, active.Select(v => v.Definition).ToList());
        await audit.RecordAsync(actor, "catalog.exported", "catalog",
            $"{active.Count} active IPE(s): {string.Join(", ", active.Select(v => $"{v.IpeId} v{v.Number}"))}.", ct);
        return JsonSerializer.SerializeToUtf8Bytes(file, Json);
    }

    /// <summary>Reads the file (a SoxAuto catalog file, or the earlier tool's configuration), checks every IPE in it
    /// (the same checks as a save), and only when all pass saves each changed IPE as a draft. Problems name the
    /// IPE and, for SQL, the line and column; in the earlier tool's format, the line of the entry.</summary>
    public async Task<ImportReport> ImportAsync(Stream content, string fileName, Actor actor, CancellationToken ct = default)
    {
        await changes.EnsureAdminAsync(actor, "catalog.import", "catalog", ct);
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, ct);
        var bytes = copy.ToArray();
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            if (ScriptToolFile.Recognises(document.RootElement))
                return await ImportScriptToolAsync(bytes, fileName, actor, ct);
        }
        catch (JsonException e)
        {
            return await RefuseAsync(fileName, actor, [$"{fileName}: not valid JSON{Where(e)}: {e.Message}"], [], ct);
        }
        return await ImportCatalogFileAsync(bytes, fileName, actor, ct);
    }

    private async Task<ImportReport> ImportCatalogFileAsync(byte[] bytes, string fileName, Actor actor, CancellationToken ct)
    {
        var problems = new List<string>();
        CatalogFile? file = null;
        try
        {
            file = JsonSerializer.Deserialize<CatalogFile>(bytes, Json);
        }
        catch (JsonException e)
        {
            problems.Add($"{fileName}: not a SoxAuto catalog file{Where(e)}: {e.Message}");
        }
        if (file is not null && file.Format != CatalogFile.FormatName)
            problems.Add($"{fileName}: the format is '{file.Format}', expected '{CatalogFile.FormatName}'.");
        if (file is not null && file.FormatVersion != 1)
            problems.Add($"{fileName}: format version {file.FormatVersion} is not supported (1 is).");
        var entries = file?.Ipes ?? [];
        if (file is not null && entries.Count == 0) problems.Add($"{fileName}: the file contains no IPEs.");
        for (int i = 0; i < entries.Count; i++)
            if (entries[i]?.Id is null) problems.Add($"{fileName}: IPE number {i + 1} in the file has no id.");
        var ipes = entries.Where(i => i?.Id is not null).ToList();
        foreach (var dup in ipes.GroupBy(i => i.Id).Where(g => g.Count() > 1))
            problems.Add($"{dup.Key}: appears {dup.Count()} times in the file.");
        return await SaveDraftsAsync(ipes.Select(i => (i.Id, i)).ToList(), problems, [], fileName, actor, ct);
    }

    /// <summary>The earlier tool's entries: each Athena entry becomes a definition (the IPE's current one with this
    /// database, query and results location, or a new IPE named by its id); SQL Server entries are skipped.</summary>
    private async Task<ImportReport> ImportScriptToolAsync(byte[] bytes, string fileName, Actor actor, CancellationToken ct)
    {
        var problems = new List<string>();
        var entries = ScriptToolFile.Read(bytes, problems);
        if (problems.Count > 0) return await RefuseAsync(fileName, actor, problems.Select(p => $"{fileName}: {p}").ToList(), [], ct);
        var skipped = entries.Where(e => e.IsSqlServer).Select(e => new ImportSkip(e.IpeId, e.Line,
            $"SQL Server form (secret_name '{e.SecretName}'): its T-SQL query must be translated to Athena SQL, then imported or entered as an IPE.")).ToList();
        var latest = (await changes.OverviewAsync(ct)).ToDictionary(o => o.IpeId, o => o.Active ?? o.Latest, StringComparer.OrdinalIgnoreCase);
        var ipes = entries.Where(e => !e.IsSqlServer).Select(e =>
        {
            var label = $"Line {e.Line} ({e.IpeId})";
            var definition = latest.TryGetValue(e.IpeId, out var current)
                ? current.Definition with { Database = e.AthenaDatabase!, Sql = e.Query, OutputLocation = e.AthenaOutput }
                : new IpeDefinition
                {
                    Id = e.IpeId,
                    Title = e.IpeId,
                    Description = $"Imported from the earlier tool's configuration ({fileName}). Give it a title, its control and its checks before approving it.",
                    Control = NoControlYet,
                    Database = e.AthenaDatabase!,
                    Sql = e.Query,
                    OutputLocation = e.AthenaOutput,
                };
            return (label, definition);
        }).ToList();
        return await SaveDraftsAsync(ipes, problems, skipped, fileName, actor, ct);
    }

    /// <summary>The control of an IPE imported from the earlier tool, which did not record one.</summary>
    public const string NoControlYet = "Not yet assigned";

    private async Task<ImportReport> SaveDraftsAsync(List<(string Label, IpeDefinition Ipe)> ipes, List<string> problems,
        List<ImportSkip> skipped, string fileName, Actor actor, CancellationToken ct)
    {
        var active = (await catalog.ActiveAsync(ct)).ToDictionary(v => v.IpeId);
        var toSave = new List<IpeDefinition>();
        var unchanged = new List<string>();
        foreach (var (label, ipe) in ipes)
        {
            if (active.TryGetValue(ipe.Id, out var current) && IpeChanges.SameDefinition(current.Definition, ipe))
            {
                unchanged.Add(ipe.Id);
                continue;
            }
            var found = await changes.CheckAsync(ipe, actor, ct);
            problems.AddRange(found.Select(p => $"{label}: {p}"));
            if (found.Count == 0) toSave.Add(ipe);
        }
        if (problems.Count > 0) return await RefuseAsync(fileName, actor, problems, unchanged, ct);
        var drafts = new List<IpeVersion>();
        foreach (var ipe in toSave)
            drafts.Add(await changes.SaveAsync(ipe, $"Imported from {fileName}.", actor, IpeChangeKind.Import, ct));
        var skips = skipped.Count == 0 ? "" : $"; {skipped.Count} skipped ({string.Join(", ", skipped.Select(s => $"{s.IpeId}: needs translation from SQL Server"))})";
        await audit.RecordAsync(actor, "catalog.imported", "catalog",
            $"{fileName}: {drafts.Count} draft(s) awaiting approval ({string.Join(", ", drafts.Select(d => $"{d.IpeId} v{d.Number}"))}); {unchanged.Count} unchanged{skips}.",
            ct);
        return new ImportReport(drafts, unchanged, problems, skipped);
    }

    private async Task<ImportReport> RefuseAsync(string fileName, Actor actor, List<string> problems, List<string> unchanged, CancellationToken ct)
    {
        await audit.RecordAsync(actor, "catalog.import.refused", "catalog",
            $"{fileName}: {problems.Count} problem(s); nothing imported. {string.Join(" | ", problems)}", ct);
        return new ImportReport([], unchanged, problems);
    }

    private static string Where(JsonException e) =>
        e.LineNumber is { } l ? $" (line {l + 1}, position {e.BytePositionInLine + 1})" : "";

    public static Stream Utf8(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));
}
