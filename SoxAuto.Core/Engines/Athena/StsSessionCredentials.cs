using Amazon.Runtime;

namespace SoxAuto.Core.Engines.Athena;

/// <summary>One set of temporary credentials from STS and the identity they carry.</summary>
internal sealed record StsGrant(ImmutableCredentials Credentials, DateTime ExpiresUtc, string AssumedRoleArn);

/// <summary>
/// Temporary credentials that renew themselves through STS before they expire: a new set is asked for once a third
/// of the current set's lifetime is left (5 minutes of a 15-minute session), so a run longer than one session keeps
/// working and never signs with an expired key. (AWSSDK.Core's RefreshingAWSCredentials was not used: its own renewal
/// window is wider than a short session, so it would ask STS before every request.) A renewal that STS refuses throws
/// <see cref="RunnerIdentityException"/>; after that the set in hand is still used until it expires (never renewed again), so
/// that the run's query can be stopped as the same person before the run ends.
/// </summary>
internal sealed class StsSessionCredentials(Func<CancellationToken, Task<StsGrant>> assume, TimeProvider clock) : AWSCredentials, IDisposable
{
    private readonly SemaphoreSlim _renewing = new(1, 1);
    private StsGrant? _current;
    private DateTime _renewAfterUtc;
    private RunnerIdentityException? _refused;

    public string AssumedRoleArn => _current?.AssumedRoleArn ?? "";

    /// <summary>The first exchange, made before anything is started so that a refusal ends the run at once.</summary>
    public async Task FirstAsync(CancellationToken ct) => await CurrentAsync(ct);

    public override ImmutableCredentials GetCredentials() => CurrentAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override Task<ImmutableCredentials> GetCredentialsAsync() => CurrentAsync(CancellationToken.None);

    private async Task<ImmutableCredentials> CurrentAsync(CancellationToken ct)
    {
        if (_current is { } fresh && clock.GetUtcNow().UtcDateTime < _renewAfterUtc) return fresh.Credentials;
        await _renewing.WaitAsync(ct);
        try
        {
            var now = clock.GetUtcNow().UtcDateTime;
            if (_current is null || now >= _renewAfterUtc)
            {
                if (_refused is not null)
                    return _current is { } last && now < last.ExpiresUtc ? last.Credentials : throw _refused;
                StsGrant grant;
                try
                {
                    grant = await assume(ct);
                }
                catch (RunnerIdentityException e) when (_current is not null)
                {
                    _refused = e;
                    throw;
                }
                _renewAfterUtc = grant.ExpiresUtc - (grant.ExpiresUtc - now) / 3;
                _current = grant;
            }
            return _current.Credentials;
        }
        finally
        {
            _renewing.Release();
        }
    }

    public void Dispose() => _renewing.Dispose();
}
