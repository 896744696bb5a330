using Amazon.Runtime;

namespace SoxAuto.Core.Engines.Athena;

/// <summary>One set of temporary credentials from STS and the identity they carry.</summary>
internal sealed record StsGrant(ImmutableCredentials Credentials, DateTime ExpiresUtc, string AssumedRoleArn);

/// <summary>
/// Temporary credentials that renew themselves through STS before they expire: AWSSDK.Core's refreshing credentials
/// ask for a new set once a third of the current set's lifetime is left, so a run longer than one session keeps
/// working and never signs with an expired key. A renewal that STS refuses throws <see cref="RunnerIdentityException"/>.
/// </summary>
internal sealed class StsSessionCredentials(Func<CancellationToken, Task<StsGrant>> assume, TimeProvider clock) : RefreshingAWSCredentials
{
    public string AssumedRoleArn { get; private set; } = "";

    /// <summary>How many times STS was asked (the first exchange and every renewal).</summary>
    public int Exchanges { get; private set; }

    /// <summary>The first exchange, made before anything is started so that a refusal ends the run at once.</summary>
    public async Task FirstAsync(CancellationToken ct) => await GetCredentialsAsync().WaitAsync(ct);

    protected override CredentialsRefreshState GenerateNewCredentials() => GenerateNewCredentialsAsync().GetAwaiter().GetResult();

    protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
    {
        var grant = await assume(CancellationToken.None);
        Exchanges++;
        AssumedRoleArn = grant.AssumedRoleArn;
        var lifetime = grant.ExpiresUtc - clock.GetUtcNow().UtcDateTime;
        PreemptExpiryTime = lifetime > TimeSpan.Zero ? lifetime / 3 : TimeSpan.Zero;
        return new CredentialsRefreshState(grant.Credentials, grant.ExpiresUtc);
    }
}
