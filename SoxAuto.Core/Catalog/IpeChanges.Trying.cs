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
    /// and the columns the check settings name must be in its result. The engine is asked as <paramref name="actor"/>
    /// (their own AWS identity with per-person credentials).</summary>
    public async Task<IReadOnlyList<SqlProblem>> CheckAsync(IpeDefinition ipe, Actor actor, CancellationToken ct = default)
    {
        var problems = IpeValidation.Validate(ipe).ToList();
        if (problems.Count > 0) return problems;
        string sql;
        IReadOnlyList<ParameterValue> values;
        try
        {
            values = ParameterBinder.Bind(ipe, ReferencePeriod());
            sql = QueryRenderer.Render(ipe.Sql, values);
        }
        catch (ParameterException e)
        {
            return [new($"The SQL cannot be rendered for the engine to check it: {e.Message} Give each required parameter a default.")];
        }
        QueryPlanner theirs;
        try { theirs = await planner.AsAsync(actor.Subject, ct); }
        catch (RunnerIdentityException e) { return [new($"The engine could not be asked with your own AWS identity: {e.Message}")]; }
        using var _ = theirs;
        var explained = await theirs.ExplainAsync(sql, ipe.Database, ct, ipe.OutputLocation);
        if (!explained.Ok) return [new($"The engine does not accept the query (EXPLAIN): {explained.Error}")];
        var columns = explained.Columns.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var c = ipe.Checks;
        foreach (var (setting, names) in new[]
                 {
                     ("Required column", c.RequiredColumns), ("Key column", c.KeyColumns), ("Amount column", c.AmountColumns),
                     ("Date column", c.DateColumn is null ? [] : (IReadOnlyList<string>)[c.DateColumn]),
                     ("Company column", c.CompanyColumn is null ? [] : (IReadOnlyList<string>)[c.CompanyColumn]),
                     ("G/L account column", c.GlAccountColumn is null ? [] : (IReadOnlyList<string>)[c.GlAccountColumn]),
                 })
            foreach (var name in names.Where(n => !columns.Contains(n)))
                problems.Add(new($"{setting} '{name}' is not a column of the query's result ({string.Join(", ", explained.Columns.Select(x => x.Name))})."));
        foreach (var w in c.WitnessRecords)
            foreach (var key in w.Key.Keys.Where(k => !columns.Contains(k)))
                problems.Add(new($"Witness record '{w.Description}' names '{key}', which is not a column of the query's result."));
        foreach (var q in c.ControlTotalQueries)
            problems.AddRange(await CheckControlQueryAsync(theirs, ipe, q, values, ct));
        return problems;
    }

    /// <summary>A control query is compiled by the engine like the IPE's SQL, and its result must have the shape the
    /// completeness and accuracy checks read: grouping columns among the IPE's company and G/L account columns,
    /// then <c>row_count</c>, then a total named like each amount column.</summary>
    private static async Task<IReadOnlyList<SqlProblem>> CheckControlQueryAsync(QueryPlanner planner, IpeDefinition ipe, ControlTotalQuery q, IReadOnlyList<ParameterValue> values, CancellationToken ct)
    {
        var c = ipe.Checks;
        string sql;
        try { sql = QueryRenderer.Render(q.Sql, values); }
        catch (ParameterException e) { return [new($"Control query '{q.Name}' cannot be rendered: {e.Message}")]; }
        var explained = await planner.ExplainAsync(sql, ipe.Database, ct, ipe.OutputLocation);
        if (!explained.Ok) return [new($"Control query '{q.Name}': the engine does not accept it (EXPLAIN): {explained.Error}")];
        var names = explained.Columns.Select(x => x.Name).ToList();
        var shape = $"its columns: {string.Join(", ", names)}";
        var count = names.FindIndex(n => n.Equals("row_count", StringComparison.OrdinalIgnoreCase));
        if (count < 0) return [new($"Control query '{q.Name}' returns no row_count column ({shape}).")];
        var problems = new List<SqlProblem>();
        var groupable = new[] { c.CompanyColumn, c.GlAccountColumn }.OfType<string>().ToList();
        foreach (var group in names.Take(count).Where(g => !groupable.Contains(g, StringComparer.OrdinalIgnoreCase)))
            problems.Add(new($"Control query '{q.Name}' groups by '{group}', which is not the IPE's company or G/L account column "
                + $"({(groupable.Count == 0 ? "it declares neither" : string.Join(", ", groupable))}); its groups could not be compared ({shape})."));
        var totals = names.Skip(count + 1).ToList();
        foreach (var amount in c.AmountColumns.Where(a => !totals.Contains(a, StringComparer.OrdinalIgnoreCase)))
            problems.Add(new($"Control query '{q.Name}' returns no total named '{amount}' after row_count ({shape})."));
        foreach (var extra in totals.Where(t => !c.AmountColumns.Contains(t, StringComparer.OrdinalIgnoreCase)))
            problems.Add(new($"Control query '{q.Name}' returns '{extra}', which is not an amount column: after row_count come only the amount columns' totals ({shape})."));
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
        await audit.RecordAsync(actor, "ipe.trial", $"ipe/{ipe.Id}",
            $"Trial of an unapproved definition for {period.Text} (first {TrialRows} rows, not evidence) on {ipe.Database}.", ct);
        try
        {
            using var theirs = await planner.AsAsync(actor.Subject, ct);
            return (await theirs.TrialAsync(sql, ipe.Database, TrialRows, ct, ipe.OutputLocation), sql);
        }
        catch (EngineException e)
        {
            throw new IpeChangeException([new($"The engine refused the trial: {e.Message}")]);
        }
        catch (RunnerIdentityException e)
        {
            throw new IpeChangeException([new($"The trial could not use your own AWS identity: {e.Message}")]);
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
