namespace SoxAuto.Core.Extract;

/// <summary>
/// Something the one evidence pass feeds as it reads an extract: the header first, then every data row
/// in order, then the end. Checks, the workbook's Data sheets and the column figures are observers; a
/// new one is a class that implements this, and memory stays flat as long as it keeps figures, not rows.
/// </summary>
public interface IExtractObserver
{
    void Begin(ExtractHeader header);

    /// <summary>The row's values are valid only during this call: copy what you keep.</summary>
    void Row(IExtractRow row);

    /// <summary>After the last row; <paramref name="rows"/> data rows were read (the header not counted).</summary>
    void End(long rows) { }
}

/// <summary>One data row of the extract as observers see it.</summary>
public interface IExtractRow
{
    /// <summary>True for SQL NULL (an empty unquoted field); false for "" and every other value.</summary>
    bool IsNull(int column);

    /// <summary>The value's UTF-8 bytes with the CSV quoting undone; empty for NULL and for "".</summary>
    ReadOnlySpan<byte> Value(int column);
}
