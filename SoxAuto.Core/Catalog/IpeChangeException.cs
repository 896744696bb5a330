namespace SoxAuto.Core.Catalog;

/// <summary>A change that cannot be saved; <see cref="Problems"/> says every reason, with SQL positions.</summary>
public sealed class IpeChangeException(IReadOnlyList<SqlProblem> problems)
    : Exception(string.Join(" ", problems.Select(p => p.ToString())))
{
    public IReadOnlyList<SqlProblem> Problems { get; } = problems;
}
