namespace SoxAuto.Core.Access;

/// <summary>
/// Who someone is, as SoxAuto records it next to their name on runs, IPE versions, sign-offs, tokens,
/// schedules and audit entries. Names are only shown: two people may share one, and a person may be
/// renamed; segregation of duties and "own runs" compare subjects. A subject is one of:
/// <list type="bullet">
/// <item><c>{issuer}#{sub}</c> for single sign-on: the ID token's <c>iss</c> and <c>sub</c> (an OIDC issuer
/// has no fragment, so the first <c>#</c> separates them);</item>
/// <item>the demo person's id (<c>ada</c>) for the local demo sign-in;</item>
/// <item>a service identity as it is: <c>schedule:{name}</c>, <c>token:{name}</c>, <c>cli:{user}</c>;</item>
/// <item><c>legacy:{name}</c> for what was recorded before SoxAuto kept subjects: only the name was
/// known, so it matches no one who signs in now.</item>
/// </list>
/// </summary>
public static class PersonSubject
{
    public const string LegacyPrefix = "legacy:";

    /// <summary>The subject of a single sign-on person.</summary>
    public static string Oidc(string issuer, string sub) => $"{issuer}#{sub}";

    /// <summary>Whether two subjects name one person. A legacy or empty subject never names the person acting now.</summary>
    public static bool Same(string? recorded, string? actor) =>
        !string.IsNullOrEmpty(recorded) && !string.IsNullOrEmpty(actor) && !IsLegacy(actor)
        && string.Equals(recorded, actor, StringComparison.Ordinal);

    /// <summary>Whether what was recorded may have been done by <paramref name="actorSubject"/>, for the rules
    /// that refuse (sign off one's own run, approve one's own change). Besides the same subject, a legacy
    /// record with the same name counts: the name is all it knows, and a rule that refuses must not let
    /// someone through because the record is older than subjects.</summary>
    public static bool MayBe(string? recorded, string recordedName, string? actorSubject, string actorName) =>
        Same(recorded, actorSubject)
        || (IsLegacy(recorded) && string.Equals(recordedName.Trim(), actorName.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The legacy subject of something recorded under <paramref name="name"/> only (what the upgrade writes).</summary>
    public static string Legacy(string name) => LegacyPrefix + name;

    /// <summary>Who, as evidence shows them: "Ada Auditor (subject ada)", or the name alone when the subject adds
    /// nothing (a service identity, whose name is its subject) or nothing known (a legacy subject), so evidence
    /// of runs made before subjects reads as it always did.</summary>
    public static string Describe(string name, string? subject) =>
        string.IsNullOrEmpty(subject) || IsLegacy(subject) || subject == name ? name : $"{name} (subject {subject})";

    public static bool IsLegacy(string? subject) => subject?.StartsWith(LegacyPrefix, StringComparison.Ordinal) == true;
}
