namespace SoxAuto.Core.Runs;

/// <summary>A run's state as pushed to open pages.</summary>
public sealed record RunUpdate(int RunId, RunState State, string? Message, long Rows);

/// <summary>Pushes run progress to whoever listens (open pages subscribe and re-render). The database
/// stays the record; this only says "look again".</summary>
public sealed class RunProgress
{
    public event Action<RunUpdate>? Changed;

    public void Publish(RunUpdate update)
    {
        foreach (var handler in Changed?.GetInvocationList() ?? [])
        {
            // One broken subscriber (a closed circuit) must not stop the run or the others.
            try { ((Action<RunUpdate>)handler)(update); } catch { }
        }
    }
}
