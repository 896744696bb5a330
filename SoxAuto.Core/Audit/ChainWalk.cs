using System.Globalization;

namespace SoxAuto.Core.Audit;

/// <summary>
/// Checks the trail one entry at a time in id order, keeping only the entry before (and, for entries from
/// before SoxAuto recorded predecessors, their hashes), so memory stays flat however long the trail is.
/// An intact trail has ids 1, 2, 3, ... with no gap (SQLite's AUTOINCREMENT never reuses an id and a
/// refused or rolled-back append consumes none); each entry names the one just before it in PreviousId
/// and PreviousHash, and its Hash is the SHA-256 of its content and PreviousHash.
/// The first entry where that fails is named and classified:
/// <list type="bullet">
/// <item>altered: its hash no longer matches its content; or its content matches, but the entry after
/// it names another hash (it was changed and its hash recomputed);</item>
/// <item>inserted: it names as predecessor an entry that already has a successor, or one that is not
/// before it, or it claims PreviousId NULL (as only entries written before the upgrade may) after
/// entries that have one, or its id comes before the trail's first;</item>
/// <item>missing: ids are absent (removed from the middle, so the next entry names a predecessor that is
/// gone, or from the end with new entries appended after them).</item>
/// </list>
/// </summary>
internal sealed class ChainWalk(ChainHead? anchor)
{
    private AuditEntry? _previous;
    private long? _firstLinked;
    private long? _firstCurrent;
    // Entries from before PreviousId existed may fork (two processes appended at once): each may follow
    // any earlier one. Their hashes are kept to tell such a fork from a broken link.
    private readonly Dictionary<string, long> _legacyHashes = new(StringComparer.Ordinal) { [AuditTrail.Genesis] = 0 };
    private readonly List<LegacyFork> _forks = [];
    private long _entries;
    private long _legacy;
    private ChainBreak? _break;
    private AuditEntry? _anchored;

    public void Take(AuditEntry e)
    {
        _entries++;
        if (e.PreviousId is null) _legacy++;
        if (anchor is not null && e.Id == anchor.Id) _anchored = e;
        // Past the first break the entries are only counted: what follows a break cannot be judged.
        _break ??= Check(e);
        _previous = e;
    }

    public ChainVerdict Verdict() => new(_entries, _previous is null ? null : new ChainHead(_previous.Id, _previous.Hash),
        _break, _legacy, _forks, anchor is null ? null : CheckAnchor(anchor));

    private ChainBreak? Check(AuditEntry e)
    {
        var prev = _previous;
        var expectedId = (prev?.Id ?? 0) + 1;
        if (e.Id < expectedId)
            return Inserted(e, $"Its id {Id(e.Id)} comes before the trail's first entry (ids start at 1).");
        if (e.PreviousId is not { } p)
            return _firstLinked is { } linked
                ? Inserted(e, $"It names no predecessor, as only entries written before SoxAuto recorded one may, yet it comes after entry {Id(linked)}, which names one.")
                : CheckLegacy(e, prev, expectedId);
        _firstLinked ??= e.Id;

        if (p >= e.Id)
            return Inserted(e, $"It names entry {Id(p)}, which does not come before it, as its predecessor.");
        if (p < (prev?.Id ?? 0))
        {
            if (p <= 0)
                return Inserted(e, "It claims to begin the trail (predecessor 0), which entry 1 begins.");
            // Two neighbours following the same entry: one was slipped in after it and the ids above moved
            // up to make room. Which one cannot be told from the chain; the first of the two is named.
            if (prev!.PreviousId == p)
                return Inserted(prev, $"Entries {Id(prev.Id)} and {Id(e.Id)} both name entry {Id(p)} as their predecessor: one of them was inserted after entry {Id(p)}, and the ids after it were moved up to make room.");
            return Inserted(e, $"It names entry {Id(p)} as its predecessor, but entry {Id(p + 1)} already follows that one.");
        }
        if (e.Id != expectedId)
            return Missing(expectedId, e.Id - 1, p == (prev?.Id ?? 0)
                ? $"Entry {Id(e.Id)} follows entry {Id(p)} directly, so these entries were removed from the end of the trail and later entries appended after."
                : $"Entry {Id(e.Id)} names entry {Id(p)} as its predecessor, which is gone.");
        if (e.Format < AuditTrail.CurrentFormat && _firstCurrent is { } current)
            return new ChainBreak(e.Id, ChainBreakKind.Altered,
                $"It claims format {e.Format} (written before SoxAuto recorded subjects), yet it comes after entry {Id(current)}, written in format {AuditTrail.CurrentFormat}: its format was changed.");
        if (e.Format >= AuditTrail.CurrentFormat) _firstCurrent ??= e.Id;
        return CheckContent(e, prev);
    }

    private ChainBreak? CheckLegacy(AuditEntry e, AuditEntry? prev, long expectedId)
    {
        if (e.Id != expectedId)
            return Missing(expectedId, e.Id - 1, $"Entry {Id(e.Id)} comes after them.");
        if (AuditTrail.HashOf(e) != e.Hash)
            return Altered(e);
        if (e.PreviousHash != (prev?.Hash ?? AuditTrail.Genesis))
        {
            if (!_legacyHashes.TryGetValue(e.PreviousHash, out var follows))
                return prev is null
                    ? new ChainBreak(e.Id, ChainBreakKind.Altered, "It begins the trail but does not name the genesis hash, and its hash was recomputed to match.")
                    : Recomputed(prev, e);
            _forks.Add(new LegacyFork(e.Id, follows));
        }
        _legacyHashes[e.Hash] = e.Id;
        return null;
    }

    private static ChainBreak? CheckContent(AuditEntry e, AuditEntry? prev)
    {
        if (AuditTrail.HashOf(e) != e.Hash)
            return Altered(e);
        if (e.PreviousHash == (prev?.Hash ?? AuditTrail.Genesis))
            return null;
        return prev is null
            ? new ChainBreak(e.Id, ChainBreakKind.Altered, "It begins the trail but does not name the genesis hash, and its hash was recomputed to match.")
            : Recomputed(prev, e);
    }

    private static ChainBreak Altered(AuditEntry e) =>
        new(e.Id, ChainBreakKind.Altered, $"Its hash no longer matches its content: its hash says {Short(e.Hash)}, its content gives {Short(AuditTrail.HashOf(e))}.");

    /// <summary><paramref name="next"/> is consistent with the hash it names, so the entry before it changed later.</summary>
    private static ChainBreak Recomputed(AuditEntry prev, AuditEntry next) =>
        new(prev.Id, ChainBreakKind.Altered,
            $"Entry {Id(next.Id)} names {Short(next.PreviousHash)} as this entry's hash, but it now has {Short(prev.Hash)}: it was changed and its hash recomputed, or entries between them were removed and the ids renumbered.");

    private static ChainBreak Inserted(AuditEntry e, string what) => new(e.Id, ChainBreakKind.Inserted, what);

    private static ChainBreak Missing(long from, long to, string why) =>
        new(from, ChainBreakKind.Missing, (from == to ? $"Entry {Id(from)} is gone. " : $"Entries {Id(from)} to {Id(to)} are gone. ") + why);

    private AnchorCheck CheckAnchor(ChainHead a)
    {
        if (_anchored is null)
            return new AnchorCheck(a, false, _previous is null || a.Id > _previous.Id
                ? $"The trail ends at entry {(_previous is null ? "0" : Id(_previous.Id))}, before the anchored entry {Id(a.Id)}: entries were cut from its end."
                : $"Entry {Id(a.Id)} is gone.");
        return string.Equals(_anchored.Hash, a.Hash, StringComparison.OrdinalIgnoreCase)
            ? new AnchorCheck(a, true, $"entry {Id(a.Id)} still has the hash {Short(a.Hash)}.")
            : new AnchorCheck(a, false, $"Entry {Id(a.Id)} now has the hash {Short(_anchored.Hash)}, not the anchored {Short(a.Hash)}: it, or an entry before it, was rewritten with every hash after it recomputed.");
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;
}
