using System.Globalization;
using DuckDB.NET.Data;

namespace SoxAuto.Core.Engines.Local;

/// <summary>EXPLAIN and trial runs on a fresh, locked-down DuckDB over the lake (<see cref="LakeConnection"/>),
/// the same connection a real run gets. A trial writes nothing: no result file, no run, no evidence.</summary>
public sealed class LocalPlanner(DataFolder folder) : IQueryPlanner
{
    public Task<ExplainResult> ExplainAsync(string sql, string database, CancellationToken ct) => Task.Run(() =>
    {
        try
        {
            using var con = LakeConnection.Open(folder.Lake, database);
            LakeConnection.EnsureSingleQuery(con, sql);
            using var cmd = con.CreateCommand();
            cmd.CommandText = "EXPLAIN " + sql;
            using var r = cmd.ExecuteReader();
            var plan = r.Read() ? r.GetValue(r.FieldCount - 1)?.ToString() : null;
            return new ExplainResult(null, Describe(con, sql), plan);
        }
        catch (Exception e) when (e is DuckDBException or EngineException)
        {
            return new ExplainResult(e.Message, []);
        }
    }, ct);

    public Task<TrialResult> TrialAsync(string sql, string database, int maxRows, CancellationToken ct) => Task.Run(() =>
    {
        try
        {
            using var con = LakeConnection.Open(folder.Lake, database);
            LakeConnection.EnsureSingleQuery(con, sql);
            var columns = Describe(con, sql);
            using var cmd = con.CreateCommand();
            cmd.CommandText = $"SELECT * FROM ({sql}\n) AS trial LIMIT {maxRows + 1}";
            using var r = cmd.ExecuteReader();
            var rows = new List<string?[]>();
            bool truncated = false;
            while (r.Read())
            {
                ct.ThrowIfCancellationRequested();
                if (rows.Count == maxRows) { truncated = true; break; }
                var row = new string?[r.FieldCount];
                for (int i = 0; i < r.FieldCount; i++)
                    row[i] = r.IsDBNull(i) ? null : Text(r.GetValue(i));
                rows.Add(row);
            }
            return new TrialResult(columns, rows, truncated);
        }
        catch (DuckDBException e)
        {
            throw new EngineException(e.Message, e);
        }
    }, ct);

    /// <summary>Column names with Athena's type names, as a real run would report them.</summary>
    private static IReadOnlyList<ResultColumn> Describe(DuckDBConnection con, string sql)
    {
        var duckTypes = LakeConnection.DescribeColumnTypes(con, sql);
        using var cmd = con.CreateCommand();
        cmd.CommandText = $"SELECT * FROM ({sql}\n) AS shape LIMIT 0";
        using var r = cmd.ExecuteReader();
        return ResultColumnWriter.For(r, duckTypes).Select(w => w.Column).ToList();
    }

    private static string Text(object value) => value switch
    {
        DateTime d when d.TimeOfDay == TimeSpan.Zero => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
