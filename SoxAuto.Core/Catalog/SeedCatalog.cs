namespace SoxAuto.Core.Catalog;

/// <summary>The IPEs SoxAuto ships with (version 1 of each). SQL lives beside this file in Seed/*.sql.</summary>
public static class SeedCatalog
{
    // TODO(lake helper): the real definitions.
    public static IReadOnlyList<IpeDefinition> All { get; } = [];
}
