using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Microsoft.Extensions.Options;

namespace SoxAuto.Core.Engines.Athena;

/// <summary>
/// Where AWS credentials come from: AWSSDK.Core's default chain (environment variables, the shared profile
/// incl. SSO, web identity, container credentials, instance role), or the named profile if one is configured.
/// The credentials object refreshes itself (temporary credentials renew before they expire).
/// </summary>
public class AwsCredentialsSource(IOptions<AthenaOptions> options)
{
    public virtual AWSCredentials Resolve()
    {
        try
        {
            if (AthenaOptions.NullIfBlank(options.Value.Profile) is { } profile)
            {
                if (new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var fromProfile)) return fromProfile;
                throw new EngineException($"The AWS profile '{profile}' (SoxAuto:Athena:Profile) was not found in the shared config or credentials file.");
            }
            return DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }
        catch (AmazonClientException e)
        {
            throw new EngineException($"No AWS credentials were found: {e.Message} See docs/operations/athena.md for the credential sources SoxAuto uses.", e);
        }
    }
}

/// <summary>Fixed credentials (tests, or a caller that already holds them).</summary>
public sealed class FixedAwsCredentialsSource(AWSCredentials credentials) : AwsCredentialsSource(Options.Create(new AthenaOptions()))
{
    public override AWSCredentials Resolve() => credentials;
}
