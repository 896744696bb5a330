using SoxAuto.Core.Access;

namespace SoxAuto.Web.Auth;

/// <summary>A person offered on the local demo sign-in page.</summary>
public sealed record DemoPerson(string Id, string Name, IReadOnlyList<string> Roles, string Note);

/// <summary>The people of the local demo sign-in. Two of each role, so segregation of duties (a
/// second auditor, a second admin) can be tried; one person holds two roles to show that the app
/// reads roles, not names.</summary>
public static class DemoPeople
{
    public static IReadOnlyList<DemoPerson> All { get; } =
    [
        new("ada", "Ada Auditor", [Roles.Auditor], "Runs IPEs and produces evidence."),
        new("sam", "Sam Auditor", [Roles.Auditor], "A second auditor."),
        new("rita", "Rita Reviewer", [Roles.Reviewer], "Inspects and downloads evidence; cannot run IPEs."),
        new("casey", "Casey Controller", [Roles.Auditor, Roles.Reviewer], "Both runs and reviews."),
        new("alan", "Alan Admin", [Roles.Admin], "Administers SoxAuto; may cancel anyone's run."),
        new("beth", "Beth Admin", [Roles.Admin], "A second admin (approves Alan's changes)."),
    ];

    public static DemoPerson? Find(string? id) => All.FirstOrDefault(p => p.Id == id);

    /// <summary>How people who sign in this way are described in the access review.</summary>
    public const string SignInKind = "Local demo sign-in";

    /// <summary>A demo person's roles are assigned by SoxAuto itself, not by a group.</summary>
    public static IEnumerable<RoleGrant> Grants(DemoPerson p) => p.Roles.Select(r => new RoleGrant(r, "demo assignment"));

    /// <summary>Every demo person as the access review lists them, whether or not they have signed in.</summary>
    public static IReadOnlyList<Person> AsPeople() =>
        All.Select(p => new Person { Subject = p.Id, Name = p.Name, SignIn = SignInKind, Roles = Grants(p).ToList() }).ToList();
}
