using SoxAuto.Core.Checks;

namespace SoxAuto.Tests.Core.Checks;

public class WorkbookCompletenessCheckTests
{
    [Fact]
    public void Passes_when_the_workbook_holds_every_extract_row()
    {
        var outcome = WorkbookCompletenessCheck.Evaluate(1_234_567, 1_234_567);
        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.Equal(("1,234,567", "1,234,567"), (outcome.Expected, outcome.Actual));
    }

    [Fact]
    public void Fails_when_the_workbook_is_missing_rows()
    {
        var outcome = WorkbookCompletenessCheck.Evaluate(10, 9);
        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal(("10", "9"), (outcome.Expected, outcome.Actual));
        Assert.Contains("1 row(s) differ", outcome.Detail);
    }
}
