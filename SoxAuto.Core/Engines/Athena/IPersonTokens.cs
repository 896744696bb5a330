namespace SoxAuto.Core.Engines.Athena;

/// <summary>A person's OpenID Connect ID token for a run, with the subject and groups it carries.</summary>
public sealed record PersonToken(string Subject, string IdToken, IReadOnlyList<string> Groups);

/// <summary>
/// Where the per-person credentials (SoxAuto:Athena:Credentials = PerUser) get the sign-in token of the person who
/// requested a run. Asked again at every renewal of the run's AWS credentials, so an implementation can hand out a
/// token it has just renewed with the person's refresh token. Tokens never appear in logs or the audit trail.
/// </summary>
public interface IPersonTokens
{
    /// <summary>The current ID token of the run's requester, or null when none is held (then the run cannot use
    /// their identity and ends saying so).</summary>
    Task<PersonToken?> ForRunAsync(EngineRunner runner, CancellationToken ct);
}

/// <summary>No tokens held: what a process without sign-in (a headless verb) has.</summary>
public sealed class NoPersonTokens : IPersonTokens
{
    public Task<PersonToken?> ForRunAsync(EngineRunner runner, CancellationToken ct) => Task.FromResult<PersonToken?>(null);
}
