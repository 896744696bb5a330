using SoxAuto.Core.Catalog;
using SoxAuto.Core.Periods;

namespace SoxAuto.Core.Checks;

/// <summary>The checks a run of an IPE gets, in the order the evidence shows them (after the
/// workbook's own completeness check, which the evidence writer adds). A new check is a class that
/// implements <see cref="ICheck"/> and one line here.</summary>
public static class IpeChecks
{
    /// <param name="parameters">The run's typed parameter values (the company selection).</param>
    /// <param name="controls">Runs the IPE's control queries on the run's engine; null where there is no
    /// engine (the completeness and accuracy checks then say Not run).</param>
    public static IReadOnlyList<ICheck> For(CheckSettings settings, Period period, IReadOnlyList<ParameterValue> parameters, IControlQueries? controls) =>
    [
        .. ControlChecks(settings, controls),
        new WitnessRecordsCheck(settings.WitnessRecords, period),
        new DuplicateKeysCheck(settings.KeyColumns),
        new CompanySelectionCheck(settings, parameters),
        new RequiredColumnsCheck(settings.RequiredColumns),
        new DatesInPeriodCheck(settings, period),
    ];

    /// <summary>Per control query: completeness, then accuracy of each amount column. The extract's side of
    /// them is one set of figures, per group of the IPE's company and G/L account columns.</summary>
    private static IEnumerable<ICheck> ControlChecks(CheckSettings settings, IControlQueries? controls)
    {
        var queries = settings.ControlTotalQueries;
        if (queries.Count == 0)
            return ControlNotRun.For("this IPE declares no control query, so nothing independent counts its rows or totals its amounts.", settings.AmountColumns);
        if (controls is null)
            return ControlNotRun.For("nothing here runs control queries on an engine.", settings.AmountColumns);
        var groups = new[] { settings.CompanyColumn, settings.GlAccountColumn }.OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var figures = new ExtractGroups(groups, settings.AmountColumns);
        return queries.SelectMany((query, i) =>
        {
            var suffix = queries.Count > 1 ? $" ({query.Name})" : "";
            var comparison = new ControlComparison(query, figures, controls);
            var accuracy = settings.AmountColumns.Count == 0
                ? [new NotRunCheck("Accuracy: amount totals = control totals" + suffix, "this IPE declares no amount columns.")]
                : settings.AmountColumns.Select((_, a) => (ICheck)new AccuracyCheck(comparison, a, suffix));
            return accuracy.Prepend(new CompletenessCheck(comparison, suffix, feedsFigures: i == 0));
        }).ToList();
    }
}
