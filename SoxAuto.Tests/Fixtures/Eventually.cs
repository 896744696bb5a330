namespace SoxAuto.Tests.Fixtures;

/// <summary>Waits for a condition with a timeout, never for a fixed time.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"Still not true: {what}.");
            await Task.Delay(20);
        }
    }
}
