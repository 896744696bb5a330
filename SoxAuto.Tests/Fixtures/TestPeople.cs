using SoxAuto.Web.Auth;

namespace SoxAuto.Tests.Fixtures;

/// <summary>The subjects tests give the people they name: a demo person's id for a demo person's name (so a
/// run written for "Ada Auditor" is the one Ada sees when she signs in), a service identity as it is, and
/// otherwise the name itself (an opaque subject no sign-in produces).</summary>
public static class TestPeople
{
    public static string SubjectOf(string name) =>
        DemoPeople.All.FirstOrDefault(p => p.Name == name)?.Id ?? name;
}
