using System.Globalization;

namespace SoxAuto.Core.Audit;

/// <summary>What is wrong where the chain first stops holding.</summary>
public enum ChainBreakKind
{
    /// <summary>An entry's content no longer matches its hash, or was changed with its hash recomputed.</summary>
    Altered,
    /// <summary>An entry that was not appended in order: it follows an entry that already has a successor,
    /// or its id or predecessor breaks the sequence.</summary>
    Inserted,
    /// <summary>Entries are gone: a gap in the ids, or an entry names a predecessor that no longer exists.</summary>
    Missing,
}

/// <summary>The first entry where the chain does not hold, and why, in words for the admin.</summary>
public sealed record ChainBreak(long EntryId, ChainBreakKind Kind, string What)
{
    public string KindText => Kind.ToString().ToLowerInvariant();
}

/// <summary>An entry written before SoxAuto recorded each entry's predecessor (PreviousId NULL) that follows
/// an earlier entry rather than the one just before it: two processes appended at once under an earlier
/// version. Recorded history, reported, not repaired.</summary>
public sealed record LegacyFork(long EntryId, long Follows);

/// <summary>The last entry of the trail: publish its hash elsewhere and a later cut is detectable.</summary>
public sealed record ChainHead(long Id, string Hash)
{
    /// <summary>Reads "1234:abcd..." as given to <c>verify-audit --anchor</c>.</summary>
    public static bool TryParse(string? text, out ChainHead head)
    {
        head = null!;
        var parts = (text ?? "").Split(':', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1
            || parts[1].Length != 64 || !parts[1].All(char.IsAsciiHexDigit))
            return false;
        head = new ChainHead(id, parts[1].ToLowerInvariant());
        return true;
    }

    public override string ToString() => $"{Id.ToString(CultureInfo.InvariantCulture)}:{Hash}";
}

/// <summary>Whether an anchor kept elsewhere (an entry's id and hash) still holds in the trail.</summary>
public sealed record AnchorCheck(ChainHead Anchor, bool Holds, string What);

/// <summary>The result of recomputing the whole chain (<see cref="AuditTrail.VerifyAsync"/>).</summary>
public sealed record ChainVerdict(
    long Entries, ChainHead? Head, ChainBreak? FirstBreak, long LegacyEntries, IReadOnlyList<LegacyFork> LegacyForks, AnchorCheck? Anchor)
{
    public bool Intact => FirstBreak is null && Anchor?.Holds != false;

    /// <summary>One paragraph, the same on the page and on the command line.</summary>
    public string Summary
    {
        get
        {
            var n = Entries.ToString("N0", CultureInfo.InvariantCulture);
            var text = FirstBreak is { } b
                ? $"The audit trail's chain is broken at entry {b.EntryId}: {b.KindText}. {b.What}"
                : Entries == 0
                    ? "The audit trail is empty."
                    : $"The audit trail's chain is intact: {n} entries, each matching its hash and following the one before it.";
            if (Anchor is { } a)
                text += a.Holds ? $" The anchor {a.Anchor.Id} holds: {a.What}" : $" The anchor {a.Anchor.Id} does not hold: {a.What}";
            if (LegacyForks.Count > 0)
                text += $" {LegacyEntries.ToString("N0", CultureInfo.InvariantCulture)} entries were written before SoxAuto recorded each entry's predecessor; of these, "
                    + string.Join(", ", LegacyForks.Select(f => $"entry {f.EntryId} follows entry {f.Follows}"))
                    + " rather than the entry just before it (two processes appended at once under an earlier version: recorded history, not a break).";
            return text;
        }
    }
}
