using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Checks;

/// <summary>
/// One check of a run's extract, fed by the evidence pass like every other observer (the header, each
/// row, the end), with its outcome asked for after the last row and before the workbook is finished.
/// A check knows the extract format, never an engine: a check that compares the extract with a control
/// query on the engine gets what runs that query from Runs (through <see cref="IpeChecks"/>) and may
/// await its answer in <see cref="OutcomeAsync"/>.
/// </summary>
public interface ICheck : IExtractObserver
{
    string Name { get; }

    /// <summary>Passed, Failed, or NotRun with the reason; never Passed for what did not run.</summary>
    ValueTask<CheckOutcome> OutcomeAsync(CancellationToken ct);
}
