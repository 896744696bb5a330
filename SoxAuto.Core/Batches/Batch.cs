using SoxAuto.Core.Periods;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Batches;

/// <summary>How a batch ended: every run succeeded and the control reconciles; every run succeeded but the
/// reconciliation has lines outside their thresholds; or some run did not succeed.</summary>
public enum BatchOutcome { Succeeded, OutsideThresholds, Failed }

/// <summary>
/// "Run all of C-PG-1 for 2025-09": a run of every active IPE of a control for one period, then the
/// control's reconciliation over those very runs. Written in one transaction with all of its runs, so that
/// no process ever sees (or starts) half a batch. It ends, once, when its last run has ended.
/// </summary>
public sealed class Batch
{
    public int Id { get; set; }
    public required string ControlId { get; set; }
    public required Period Period { get; set; }
    /// <summary>The period's canonical text, stored so that the database can find batches by it.</summary>
    public string PeriodText { get => Period.Text; private set { } }
    public required string RequestedBy { get; set; }
    /// <summary>Who (<see cref="Access.PersonSubject"/>); the name beside it is only shown.</summary>
    public required string RequestedBySubject { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public BatchOutcome? Outcome { get; set; }
    /// <summary>The outcome in words: how many runs succeeded, whether the control reconciles.</summary>
    public string? Message { get; set; }
    public List<Run> Runs { get; set; } = [];

    public bool HasEnded => EndedAt is not null;
}
