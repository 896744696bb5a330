using SoxAuto.Core.Access;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Review;

/// <summary>The rules themselves, pure: each judges what it is given and says why. People are compared by
/// subject (<see cref="PersonSubject"/>), never by name: two people may share a name. Only where a record is
/// older than subjects (a legacy subject) does its name count, and then only to refuse.</summary>
public sealed partial class SegregationOfDuties
{
    /// <summary>Only the person who ran it, or an admin, may cancel a run.</summary>
    public static Decision MayCancel(Run run, Actor actor) =>
        PersonSubject.Same(run.RequestedBySubject, actor.Subject) ? Decision.Allow($"{actor.Name} ran run {run.Id}.")
        : actor.IsAdmin ? Decision.Allow($"{actor.Name} is an admin.")
        : Decision.Refuse($"Only the person who ran run {run.Id} ({run.RequestedBy}) or an admin may cancel it.");

    /// <summary>The person who ran a run cannot sign it off, whatever their roles; and only a finished,
    /// successful run has evidence to sign off.</summary>
    public static Decision MaySignOff(Run run, Actor actor) =>
        PersonSubject.MayBe(run.RequestedBySubject, run.RequestedBy, actor.Subject, actor.Name)
            ? Decision.Refuse($"{actor.Name} ran run {run.Id}, so someone else must sign it off (segregation of duties).")
        : run.State != RunState.Succeeded
            ? Decision.Refuse($"Run {run.Id} is {run.State}: only a succeeded run has evidence to sign off.")
        : Decision.Allow($"{actor.Name} did not run run {run.Id} ({run.RequestedBy} did).");

    /// <summary>The person who wrote a change to the catalog (an IPE's SQL, a control's thresholds) cannot
    /// approve it: a second person must.</summary>
    public static Decision MayApproveChange(CatalogVersion change, Actor actor) =>
        PersonSubject.MayBe(change.AuthoredBySubject, change.AuthoredBy, actor.Subject, actor.Name)
            ? Decision.Refuse($"{actor.Name} wrote version {change.Number} of {change.Item}, so another admin must approve it (segregation of duties).")
        : change.Status != IpeVersionStatus.Draft
            ? Decision.Refuse($"Version {change.Number} of {change.Item} is {change.Status}, not awaiting approval.")
        : Decision.Allow($"{actor.Name} did not write version {change.Number} of {change.Item} ({change.AuthoredBy} did).");
}
