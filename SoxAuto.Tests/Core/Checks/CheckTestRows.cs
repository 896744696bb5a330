using System.Text;
using SoxAuto.Core.Evidence;

namespace SoxAuto.Tests.Core.Checks;

/// <summary>A row of the extract for check tests: null is SQL NULL.</summary>
internal sealed class TestRow(params string?[] values) : IExtractRow
{
    public bool IsNull(int column) => values[column] is null;
    public ReadOnlySpan<byte> Value(int column) => Encoding.UTF8.GetBytes(values[column] ?? "");
}
