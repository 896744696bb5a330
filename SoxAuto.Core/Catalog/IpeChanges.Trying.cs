using SoxAuto.Core.Engines;
using SoxAuto.Core.Extract;
using SoxAuto.Core.Periods;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Catalog;

/// <summary>Asking the engine about a definition before anyone approves it: does it compile, what are its first rows.</summary>
public sealed partial class IpeChanges
{
    public const int TrialRows = 100;

    /// <summary>Validation on save: the rules of <see cref="IpeValidation"/>, then the engine compiles the
    /// query rendered for the last full month (so syntax and missing tables show before anyone approves),
    /// and the columns the check settings name must be in its result.</summary>
    public async Task<IReadOnlyList<SqlProblem>> CheckAsync(IpeDefinition ipe, CancellationToken ct = default)
    {
        var problems = IpeValidation.Validate(ipe).ToList();
        if (problems.Count > 0) return problems;
        string sql;
        try
        {
            sql = QueryRenderer.Render(ipe.Sql, ParameterBinder.Bind(ipe, ReferencePeriod()));
        }
        catch (ParameterException e)
        {
            return [new($"The SQL cannot be rendered for the engine to check it: {e.Message} Give each required parameter a default.")];
        }
        var explained = await planner.ExplainAsync(sql, ipe.Database, ct);
        if (!explained.Ok) return [new($"The engine does not accept the query (EXPLAIN): {explained.Error}")];
        var columns = explained.Columns.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var c = ipe.Checks;
        foreach (var (setting, names) in new[]
                 {
                     ("Required column", c.RequiredColumns), ("Key column", c.KeyColumns), ("Amount column", c.AmountColumns),
                     ("Date column", c.DateColumn is null ? [] : (IReadOnlyList<string>)[c.DateColumn]),
                 })
            foreach (var name in names.Where(n => !columns.Contains(n)))
                problems.Add(new($"{setting} '{name}' is not a column of the query's result ({string.Join(", ", explained.Columns.Select(x => x.Name))})."));
        foreach (var w in c.WitnessRecords)
            foreach (var key in w.Key.Keys.Where(k => !columns.Contains(k)))
                problems.Add(new($"Witness record '{w.Description}' names '{key}', which is not a column of the query's result."));
        return problems;
    }

    /// <summary>Runs a draft (saved or not) for a period and returns its first rows and column types.
    /// A trial: no run and no evidence, only the audit line.</summary>
    public async Task<(ResultSample Result, string Sql)> TrialAsync(
        IpeDefinition ipe, string periodText, IReadOnlyDictionary<string, string>? parameters, Actor actor, CancellationToken ct = default)
    {
        await EnsureAdminAsync(actor, "ipe.trial", $"ipe/{ipe.Id}", ct);
        var problems = IpeValidation.Validate(ipe);
        if (problems.Count > 0) throw new IpeChangeException(problems);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (!Period.TryParse(periodText, today, out var period, out var error))
            throw new IpeChangeException([new(error)]);
        string sql;
        try { sql = QueryRenderer.Render(ipe.Sql, ParameterBinder.Bind(ipe, period, parameters)); }
        catch (ParameterException e) { throw new IpeChangeException([new(e.Message)]); }
        await audit.RecordAsync(actor.Name, "ipe.trial", $"ipe/{ipe.Id}",
            $"Trial of an unapproved definition for {period.Text} (first {TrialRows} rows, not evidence) on {ipe.Database}.", actor.Origin, ct);
        try
        {
            return (await planner.TrialAsync(sql, ipe.Database, TrialRows, ct), sql);
        }
        catch (EngineException e)
        {
            throw new IpeChangeException([new($"The engine refused the trial: {e.Message}")]);
        }
    }

    /// <summary>The last full month before today: the period a query is compiled for when it is checked.</summary>
    private Period ReferencePeriod()
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var lastMonth = today.AddMonths(-1);
        return Period.TryParse($"{lastMonth.Year:D4}-{lastMonth.Month:D2}", today, out var p, out _) ? p
            : throw new InvalidOperationException("The reference period could not be made.");
    }
}
