using System.Globalization;
using System.Text;
using SoxAuto.Core.Evidence;
using SoxAuto.Core.Extract;
using SoxAuto.Tests.Core.Checks;

namespace SoxAuto.Tests.Core.Evidence;

public sealed class ObserverThreadTests
{
    private static readonly ExtractHeader Header = new([new("entry_no", "bigint"), new("memo", "varchar")]);

    [Fact]
    public void Observers_on_their_own_thread_see_every_row_in_order_with_NULL_and_empty_text_apart_then_the_end()
    {
        var rows = ObserverThread.BatchRows * 2 + 7; // two full batches and a part
        var seen = new Recorder();
        using (var thread = new ObserverThread([seen]))
        {
            thread.Begin(Header);
            for (var i = 0; i < rows; i++)
                thread.Row(new TestRow(i.ToString(CultureInfo.InvariantCulture), i % 3 == 0 ? null : i % 3 == 1 ? "" : new string('x', i % 50)));
            thread.End(rows);
        }

        Assert.Equal(rows, seen.Rows.Count);
        Assert.Equal(rows, seen.EndedWith);
        Assert.Equal(Enumerable.Range(0, rows).Select(i => $"{i}|{(i % 3 == 0 ? "NULL" : i % 3 == 1 ? "" : new string('x', i % 50))}"), seen.Rows);
        Assert.NotEqual(Environment.CurrentManagedThreadId, seen.RowThread);
    }

    [Fact]
    public void An_observer_that_throws_fails_the_pass_instead_of_leaving_it_waiting()
    {
        using var thread = new ObserverThread([new Throwing()]);
        thread.Begin(Header);

        var e = Assert.Throws<InvalidDataException>(() =>
        {
            for (var i = 0; i < ObserverThread.BatchRows * 10; i++) thread.Row(new TestRow("1", "a"));
            thread.End(ObserverThread.BatchRows * 10);
        });
        Assert.Equal("broken", e.Message);
    }

    private sealed class Recorder : IExtractObserver
    {
        public List<string> Rows { get; } = [];
        public long EndedWith { get; private set; } = -1;
        public int RowThread { get; private set; }

        public void Begin(ExtractHeader header) { }

        public void Row(IExtractRow row)
        {
            RowThread = Environment.CurrentManagedThreadId;
            Rows.Add(Encoding.UTF8.GetString(row.Value(0)) + "|" + (row.IsNull(1) ? "NULL" : Encoding.UTF8.GetString(row.Value(1))));
        }

        public void End(long rows) => EndedWith = rows;
    }

    private sealed class Throwing : IExtractObserver
    {
        public void Begin(ExtractHeader header) { }
        public void Row(IExtractRow row) => throw new InvalidDataException("broken");
    }
}
