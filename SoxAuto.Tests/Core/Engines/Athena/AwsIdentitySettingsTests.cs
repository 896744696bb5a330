using System.ComponentModel.DataAnnotations;
using SoxAuto.Core.Engines.Athena;

namespace SoxAuto.Tests.Core.Engines.Athena;

/// <summary>Issue 14: the per-person credential settings are refused at start-up when they cannot work, and the session
/// name STS receives is always one it accepts.</summary>
public class AwsIdentitySettingsTests
{
    private static List<string?> Problems(AthenaOptions o) => o.Validate(new ValidationContext(o)).Select(r => r.ErrorMessage).ToList();

    [Fact]
    public void PerUser_without_a_role_mapping_or_with_a_malformed_ARN_is_refused_naming_the_key()
    {
        Assert.Contains("SoxAuto:Athena:Roles must map at least one group to a role ARN when SoxAuto:Athena:Credentials is PerUser.",
            Problems(new AthenaOptions { Region = "eu-west-1", Credentials = AwsCredentialMode.PerUser }));
        Assert.Contains("SoxAuto:Athena:Roles:0 needs a Group and a RoleArn like arn:aws:iam::123456789012:role/name.",
            Problems(new AthenaOptions { Region = "eu-west-1", Credentials = AwsCredentialMode.PerUser, Roles = [new() { Group = "sox-auditors", RoleArn = "soxauto-auditor" }] }));
        Assert.Contains("SoxAuto:Athena:ServiceRoleArn must look like arn:aws:iam::123456789012:role/name.",
            Problems(new AthenaOptions
            {
                Region = "eu-west-1",
                Credentials = AwsCredentialMode.PerUser,
                ServiceRoleArn = "service",
                Roles = [new() { Group = "sox-auditors", RoleArn = "arn:aws:iam::123456789012:role/soxauto-auditor" }],
            }));
        Assert.Empty(Problems(new AthenaOptions { Region = "eu-west-1", Roles = [] }));   // Server needs none of it
    }

    [Theory]
    [InlineData("00u1ab2CD3ef", "soxauto-00u1ab2CD3ef")]
    [InlineData("auth0|5f7c8ec7c33c6c004bbafe82", "soxauto-auth0-5f7c8ec7c33c6c004bbafe82")]
    [InlineData("schedule-nightly", "soxauto-schedule-nightly")]
    [InlineData("ädä with spaces", "soxauto--d--with-spaces")]
    public void The_session_name_is_soxauto_and_the_subject_in_the_characters_STS_allows(string subject, string expected) =>
        Assert.Equal(expected, RunnerCredentials.SessionName(subject));

    [Fact]
    public void A_long_subject_is_cut_to_the_64_characters_STS_allows() =>
        Assert.Equal(64, RunnerCredentials.SessionName(new string('x', 100)).Length);

    [Theory]
    [InlineData("schedule:nightly", true)]
    [InlineData("token:ci", true)]
    [InlineData("Ada Auditor", false)]
    [InlineData("cli:ops", false)]
    public void Service_identities_are_schedules_and_API_tokens(string requester, bool service) =>
        Assert.Equal(service, RunnerCredentials.IsServiceIdentity(requester));
}
