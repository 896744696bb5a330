using SoxAuto.Core.Catalog;
using SoxAuto.Core.Periods;

namespace SoxAuto.Core.Runs;

/// <summary>Queued -> Running -> WritingEvidence -> Succeeded; or Failed / Cancelled with a reason.</summary>
public enum RunState { Queued, Running, WritingEvidence, Succeeded, Failed, Cancelled }

/// <summary>What a run produces: an IPE's extract, or a control's reconciliation to the G/L.</summary>
public enum RunKind { Ipe, Reconciliation }

/// <summary>One execution of one IPE version (or, for a <see cref="RunKind.Reconciliation"/>, of one control
/// version) for one period. Written before any work starts; the database, not memory, is the source of
/// truth for the queue.</summary>
public sealed class Run
{
    public int Id { get; set; }
    public RunKind Kind { get; set; }
    /// <summary>The IPE run; for a reconciliation, the control (C-PG-1).</summary>
    public required string IpeId { get; set; }
    /// <summary>The IPE version run; null for a reconciliation, which records <see cref="ControlVersionId"/>.</summary>
    public int? IpeVersionId { get; set; }
    public IpeVersion? IpeVersion { get; set; }
    /// <summary>The number of the IPE version, or for a reconciliation of the control version (its thresholds).</summary>
    public int IpeVersionNumber { get; set; }
    /// <summary>A reconciliation's control version: the thresholds it judged the differences by.</summary>
    public int? ControlVersionId { get; set; }

    /// <summary>The period the run covers, stored as one complex property (its kind, start and cutoff).</summary>
    public required Period Period { get; set; }

    /// <summary>The period's canonical text (e.g. 2025-09), also stored so that the database can find
    /// and group runs by it; always that of <see cref="Period"/> (setting it does nothing).</summary>
    public string PeriodText { get => Period.Text; private set { } }
    public List<ParameterValue> Parameters { get; set; } = [];

    public required string RequestedBy { get; set; }
    /// <summary>Who (<see cref="Access.PersonSubject"/>); the name beside it is only shown.</summary>
    public required string RequestedBySubject { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    public RunState State { get; set; }
    /// <summary>Why a run failed or was cancelled, or what it is doing now; words for users.</summary>
    public string? Message { get; set; }
    public bool CancelRequested { get; set; }
    public string? CancelledBy { get; set; }
    public string? CancelledBySubject { get; set; }

    /// <summary>The process that executes the run (host/process id/instance), or null while nobody has
    /// claimed it. See <see cref="RunLeases"/>.</summary>
    public string? Owner { get; set; }
    /// <summary>Until when <see cref="Owner"/> holds the run; its heartbeat moves this on while it works.
    /// Once passed, another process may take the run over.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    public string? Engine { get; set; }
    public string? Database { get; set; }
    public string? ExecutionId { get; set; }
    public string? ExecutedSql { get; set; }
    public string? ResultSource { get; set; }
    public long? DataScannedBytes { get; set; }
    public long? EngineMillis { get; set; }
    public long? QueueMillis { get; set; }
    public long? TotalMillis { get; set; }
    public string? EngineVersion { get; set; }
    public bool? ReusedPreviousResult { get; set; }

    public long? RowCount { get; set; }
    public string? ExtractSha256 { get; set; }
    public long? ExtractBytes { get; set; }
    /// <summary>Relative to the data folder.</summary>
    public string? ExtractPath { get; set; }
    public string? WorkbookSha256 { get; set; }
    public long? WorkbookBytes { get; set; }
    public string? WorkbookPath { get; set; }
    /// <summary>JSON of the column profiles (name, type, nulls, min, max, sum).</summary>
    public string? ColumnsJson { get; set; }

    public List<RunCheck> Checks { get; set; } = [];

    /// <summary>The rejected run this one re-runs, if any (the rejected run is then "superseded by" this one).</summary>
    public int? SupersedesRunId { get; set; }

    /// <summary>The run this one reperforms: the same IPE version, period and parameters, run again and
    /// compared with it (see Procedures/Reperformance).</summary>
    public int? ReperformanceOf { get; set; }
    /// <summary>A reperformance's comparison with the original run, as JSON; written with its evidence.</summary>
    public string? ReperformanceJson { get; set; }

    /// <summary>The batch this run belongs to ("run all of C-PG-1 for 2025-09"), if any.</summary>
    public int? BatchId { get; set; }

    public bool IsFinal => State is RunState.Succeeded or RunState.Failed or RunState.Cancelled;

    /// <summary>The file name stem auditors see, e.g. IPE_09_2025-09_run-12.</summary>
    public string FileStem => $"{IpeId}_{PeriodText}_run-{Id}";
}

public sealed class RunCheck
{
    public int Id { get; set; }
    public int RunId { get; set; }
    public int Order { get; set; }
    public required string Name { get; set; }
    public Checks.CheckStatus Status { get; set; }
    public required string Expected { get; set; }
    public required string Actual { get; set; }
    public required string Detail { get; set; }
    /// <summary>The rule in words, or the control query exactly as executed (what an auditor reperforms).</summary>
    public string Rule { get; set; } = "";
    /// <summary>The engine's execution id of the check's control query, when it ran one.</summary>
    public string? ExecutionId { get; set; }
    public long? DurationMs { get; set; }
}
