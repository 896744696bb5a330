using System.Text;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Extract;

namespace SoxAuto.Tests.Core.Checks;

/// <summary>A row of the extract for check tests: null is SQL NULL.</summary>
internal sealed class TestRow(params string?[] values) : IExtractRow
{
    public bool IsNull(int column) => values[column] is null;
    public ReadOnlySpan<byte> Value(int column) => Encoding.UTF8.GetBytes(values[column] ?? "");
}

internal static class CheckPass
{
    /// <summary>Feeds the check as the evidence pass does (the header, each row, the end), then asks
    /// for its outcome.</summary>
    public static async Task<CheckOutcome> RunAsync(ICheck check, IReadOnlyList<string> header, params TestRow[] rows)
    {
        check.Begin(new ExtractHeader(header.Select(name => new ResultColumn(name, "varchar")).ToList()));
        foreach (var row in rows) check.Row(row);
        check.End(rows.Length);
        return await check.OutcomeAsync(CancellationToken.None);
    }
}
