using SoxAuto.Core.Checks;

namespace SoxAuto.Tests.Core.Checks;

public class RequiredColumnsCheckTests
{
    private static readonly string[] Header = ["entry_no", "gl_account_no", "amount"];

    private static Task<CheckOutcome> Run(IReadOnlyList<string> required, params TestRow[] rows)
        => CheckPass.RunAsync(new RequiredColumnsCheck(required), Header, rows);

    [Fact]
    public async Task Passes_when_required_columns_have_a_value_in_every_row()
    {
        var outcome = await Run(["entry_no", "GL_ACCOUNT_NO"], new TestRow("1", "13003", null), new TestRow("2", "", "5.00"));
        Assert.Equal(CheckStatus.Passed, outcome.Status); // "" is a value; only NULL is missing
        Assert.Equal("0 NULLs (entry_no: 0, GL_ACCOUNT_NO: 0)", outcome.Actual);
    }

    [Fact]
    public async Task Fails_and_counts_the_NULLs_per_column()
    {
        var outcome = await Run(["entry_no", "gl_account_no"], new TestRow("1", null, "1"), new TestRow(null, null, "2"), new TestRow("3", "x", "3"));
        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("0 NULLs in entry_no, gl_account_no", outcome.Expected);
        Assert.Equal("3 NULLs (entry_no: 1, gl_account_no: 2)", outcome.Actual);
    }

    [Fact]
    public async Task Fails_when_a_required_column_is_missing_from_the_result()
    {
        var outcome = await Run(["entry_no", "company_code"], new TestRow("1", "2", "3"));
        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("missing from the result: company_code", outcome.Actual);
    }

    [Fact]
    public async Task Is_not_run_when_no_required_columns_are_declared()
    {
        var outcome = await Run([], new TestRow(null, null, null));
        Assert.Equal(CheckStatus.NotRun, outcome.Status);
        Assert.Contains("declares no required columns", outcome.Detail);
    }
}
