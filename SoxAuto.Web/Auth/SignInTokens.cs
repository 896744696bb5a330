using System.Collections.Concurrent;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Engines.Athena;

namespace SoxAuto.Web.Auth;

/// <summary>
/// The ID token of each person's latest single sign-on, for per-person AWS credentials (SoxAuto:Athena:Credentials =
/// PerUser): a run they start exchanges it with STS for their own temporary credentials. Held in this process's memory
/// only (never written to disk, the database or a log) and dropped when they sign out. So after a restart, or once
/// the token has expired (Okta: one hour), a run that needs new credentials ends saying the person must sign in again.
/// </summary>
public sealed class SignInTokens : IPersonTokens
{
    private readonly ConcurrentDictionary<string, PersonToken> _byPerson = new(StringComparer.Ordinal);

    /// <summary>Keyed by the person's subject (<see cref="SoxAuto.Core.Access.PersonSubject"/>), as runs record their requester.</summary>
    public void Keep(string subject, PersonToken token) => _byPerson[subject] = token;

    public void Forget(string subject) => _byPerson.TryRemove(subject, out _);

    public Task<PersonToken?> ForRunAsync(EngineRunner runner, CancellationToken ct) =>
        Task.FromResult(_byPerson.TryGetValue(runner.Requester, out var token) ? token : null);
}
