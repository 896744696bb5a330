using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Engines;

/// <summary>
/// A SQL engine with Athena's shape: start a query, poll it, stop it, then read its result as CSV in
/// Athena's dialect. Everything downstream (hashing, evidence, checks) reads only that CSV, so it
/// cannot tell which engine ran the query.
/// </summary>
public interface IQueryEngine
{
    /// <summary>Shown in evidence, e.g. "Local (DuckDB 1.x)" or "Amazon Athena".</summary>
    string Name { get; }

    /// <summary>Starts the query and returns the engine's execution id. Starting twice with the same
    /// <see cref="EngineQuery.ClientRequestToken"/> must not launch a second query.</summary>
    Task<string> StartAsync(EngineQuery query, CancellationToken ct);

    Task<EngineStatus> GetStatusAsync(string executionId, CancellationToken ct);

    /// <summary>Asks the engine to stop; the status becomes Cancelled once it has.</summary>
    Task StopAsync(string executionId, CancellationToken ct);

    /// <summary>Opens the result of a Succeeded execution: column names and types, and the CSV bytes
    /// exactly as the engine wrote them.</summary>
    Task<QueryResult> OpenResultAsync(string executionId, CancellationToken ct);

    /// <summary>Forgets an execution that no process will read any more, removing what it left behind (the
    /// local engine's partly written result file). Called only for a run taken over from a process that
    /// stopped, once the engine has said it does not know the execution. The default does nothing.</summary>
    Task DiscardAsync(string executionId, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Whether an execution goes on when this process stops, so that a later process re-attaches to
    /// it by its id (Athena's do). The local engine's queries run inside this process and end with it.</summary>
    bool ExecutionsOutliveProcess => true;

    /// <summary>A cheap check that queries could run now (the lake is there; Athena answers), for the
    /// readiness probe. Throws <see cref="EngineException"/> saying what is wrong.</summary>
    Task CheckReadyAsync(CancellationToken ct);

    /// <summary>This engine acting for whoever requested a run, for all of that run's queries. Athena with
    /// SoxAuto:Athena:Credentials = PerUser answers an engine signing with the runner's own temporary AWS credentials
    /// (and naming that identity in <see cref="Name"/>, which the evidence records); otherwise, and by default, the
    /// engine itself. The caller disposes the answer when it is not this engine.</summary>
    /// <exception cref="RunnerIdentityException">The runner's identity cannot be obtained; nothing was started.</exception>
    Task<IQueryEngine> ForRunnerAsync(EngineRunner runner, CancellationToken ct) => Task.FromResult(this);

    /// <summary>The query as it must be sent to read the data as it was at <paramref name="at"/>, where the engine
    /// can: Athena adds <c>FOR TIMESTAMP AS OF</c> after each Iceberg table (the catalog says which); other tables,
    /// and every table of an engine that keeps no history (the default, the local engine), are read as they are now,
    /// so the query comes back as it was. <paramref name="at"/> is SoxAuto's own time, never a user's text.</summary>
    Task<string> ReadAsOfAsync(string sql, string database, DateTimeOffset at, CancellationToken ct) => Task.FromResult(sql);

    /// <summary>How long to wait before the next status poll, after <paramref name="polls"/> polls; an engine
    /// may back off (Athena does). The default is the configured interval.</summary>
    TimeSpan NextPollDelay(int polls, TimeSpan configured) => configured;
}

/// <summary><see cref="OutputLocation"/>: where the engine writes this query's result (s3://...), instead of its
/// configured location; null means the configured one. Only Athena has results locations.</summary>
/// <summary>Who a run's queries are for: the run and the subject of whoever requested it (a person's, see
/// <c>PersonSubject</c>, or a service identity such as <c>schedule:nightly</c> or <c>token:ci</c>), never their
/// name, which another person may share (or take: a person may be called "token:ci").</summary>
public sealed record EngineRunner(int RunId, string Requester);

/// <summary>The identity a run must use could not be obtained (e.g. STS rejected the person's sign-in token). The
/// message is written for the person; the run ends with it instead of running as someone else.</summary>
public sealed class RunnerIdentityException(string message, Exception? inner = null) : Exception(message, inner);

public sealed record EngineQuery(string Sql, string Database, string ClientRequestToken, string? OutputLocation = null);

public enum EngineState { Queued, Running, Succeeded, Failed, Cancelled, Unknown }

/// <summary><see cref="EngineState.Unknown"/> means the engine does not know the execution (e.g. the
/// in-process engine after a restart).</summary>
public sealed record EngineStatus(EngineState State, string? Reason = null, EngineStatistics? Statistics = null)
{
    public bool IsFinal => State is EngineState.Succeeded or EngineState.Failed or EngineState.Cancelled or EngineState.Unknown;
}

public sealed record EngineStatistics(
    long? DataScannedBytes = null,
    long? EngineExecutionMillis = null,
    long? QueueMillis = null,
    long? TotalMillis = null,
    string? EngineVersion = null,
    bool? ReusedPreviousResult = null);

/// <summary>An engine failure with a message fit for users (no stack traces).</summary>
public sealed class EngineException(string message, Exception? inner = null) : Exception(message, inner);
