using SoxAuto.Core.Evidence;

namespace SoxAuto.Core.Runs;

/// <summary>
/// An auditor's procedure carried out as a run (a reperformance re-runs an earlier run and compares). The
/// executor asks each one for the sheet it adds to the run's workbook; Runs know only this, the procedure
/// lives in its own folder (Procedures/).
/// </summary>
public interface IRunProcedure
{
    /// <summary>The sheet this run's workbook gets, or null when the run is not this procedure. The sheet
    /// may record what it found on <paramref name="run"/>, which the executor saves with the run's outcome.</summary>
    Task<IEvidenceSheet?> SheetForAsync(Run run, CancellationToken ct);
}
