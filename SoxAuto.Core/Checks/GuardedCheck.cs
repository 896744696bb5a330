using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Checks;

/// <summary>
/// A check as the evidence writer runs it. If the check itself throws (reading a row, or giving its
/// outcome), the run is not failed and nothing reads as passed: the check stops being fed and its outcome
/// is Error with the message. The run's evidence is whole either way; the check says it broke.
/// </summary>
public sealed class GuardedCheck : ICheck, IDisposable
{
    private readonly ICheck _check;
    private Exception? _broke;

    public GuardedCheck(ICheck check)
    {
        _check = check;
        try { Name = check.Name; }
        catch (Exception e) { Name = check.GetType().Name; _broke = e; }
    }

    public string Name { get; }

    public void Begin(ExtractHeader header)
    {
        if (_broke is not null) return;
        try { _check.Begin(header); }
        catch (Exception e) { _broke = e; }
    }

    public void Row(IExtractRow row)
    {
        if (_broke is not null) return;
        try { _check.Row(row); }
        catch (Exception e) { _broke = e; }
    }

    public void End(long rows)
    {
        if (_broke is not null) return;
        try { _check.End(rows); }
        catch (Exception e) { _broke = e; }
    }

    public async ValueTask<CheckOutcome> OutcomeAsync(CancellationToken ct)
    {
        if (_broke is not null)
            return CheckOutcome.Errored(Name, $"The check broke while reading the extract ({_broke.GetType().Name}: {_broke.Message}).");
        try
        {
            return await _check.OutcomeAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return CheckOutcome.Errored(Name, $"The check broke while giving its outcome ({e.GetType().Name}: {e.Message}).");
        }
    }

    public void Dispose() => (_check as IDisposable)?.Dispose();
}
