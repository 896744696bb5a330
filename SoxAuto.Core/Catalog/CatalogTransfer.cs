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

/// <summary>What an import did: the drafts it created, the IPEs identical to their active version, and
/// every problem found. When there is any problem, nothing is created.</summary>
public sealed record ImportReport(IReadOnlyList<IpeVersion> Drafts, IReadOnlyList<string> Unchanged, IReadOnlyList<string> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>Export of the active catalog, and import as drafts that need a second admin's approval.</summary>
public sealed class CatalogTransfer(IpeCatalog catalog, IpeChanges changes, AuditTrail audit, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(SoxAutoDb.Json) { WriteIndented = true };

    public async Task<byte[]> ExportAsync(Actor actor, CancellationToken ct = default)
    {
        await changes.EnsureAdminAsync(actor, "catalog.export", "catalog", ct);
        var active = await catalog.ActiveAsync(ct);
        var file = new CatalogFile(CatalogFile.FormatName, 1, clock.GetUtcNow(), actor.Name, active.Select(v => v.Definition).ToList());
        await audit.RecordAsync(actor.Name, "catalog.exported", "catalog",
            $"{active.Count} active IPE(s): {string.Join(", ", active.Select(v => $"{v.IpeId} v{v.Number}"))}.", actor.Origin, ct);
        return JsonSerializer.SerializeToUtf8Bytes(file, Json);
    }

    /// <summary>Reads the file, checks every IPE in it (the same checks as a save), and only when all pass
    /// saves each changed IPE as a draft. Problems name the IPE and, for SQL, the line and column.</summary>
    public async Task<ImportReport> ImportAsync(Stream content, string fileName, Actor actor, CancellationToken ct = default)
    {
        await changes.EnsureAdminAsync(actor, "catalog.import", "catalog", ct);
        var problems = new List<string>();
        CatalogFile? file = null;
        try
        {
            file = await JsonSerializer.DeserializeAsync<CatalogFile>(content, Json, ct);
        }
        catch (JsonException e)
        {
            problems.Add($"{fileName}: not a SoxAuto catalog file{(e.LineNumber is { } l ? $" (line {l + 1}, position {e.BytePositionInLine + 1})" : "")}: {e.Message}");
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

        var active = (await catalog.ActiveAsync(ct)).ToDictionary(v => v.IpeId);
        var toSave = new List<IpeDefinition>();
        var unchanged = new List<string>();
        foreach (var ipe in ipes)
        {
            if (active.TryGetValue(ipe.Id, out var current) && IpeChanges.SameDefinition(current.Definition, ipe))
            {
                unchanged.Add(ipe.Id);
                continue;
            }
            var found = await changes.CheckAsync(ipe, ct);
            problems.AddRange(found.Select(p => $"{ipe.Id}: {p}"));
            if (found.Count == 0) toSave.Add(ipe);
        }
        if (problems.Count > 0)
        {
            await audit.RecordAsync(actor.Name, "catalog.import.refused", "catalog",
                $"{fileName}: {problems.Count} problem(s); nothing imported. {string.Join(" | ", problems)}", actor.Origin, ct);
            return new ImportReport([], unchanged, problems);
        }
        var drafts = new List<IpeVersion>();
        foreach (var ipe in toSave)
            drafts.Add(await changes.SaveAsync(ipe, $"Imported from {fileName}.", actor, IpeChangeKind.Import, ct));
        await audit.RecordAsync(actor.Name, "catalog.imported", "catalog",
            $"{fileName}: {drafts.Count} draft(s) awaiting approval ({string.Join(", ", drafts.Select(d => $"{d.IpeId} v{d.Number}"))}); {unchanged.Count} unchanged.",
            actor.Origin, ct);
        return new ImportReport(drafts, unchanged, problems);
    }

    public static Stream Utf8(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));
}
