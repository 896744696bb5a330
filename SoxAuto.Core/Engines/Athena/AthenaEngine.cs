using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Engines.Athena;

/// <summary>
/// Amazon Athena behind <see cref="IQueryEngine"/>, over Athena's own JSON 1.1 protocol (<see cref="AthenaClient"/>).
/// Results are streamed from the CSV Athena wrote to S3 (byte for byte, so the extract hash is the hash of that
/// object); where that cannot be read, GetQueryResults is paged into the same CSV dialect instead.
/// </summary>
public sealed class AthenaEngine : IQueryEngine, IDisposable
{
    private readonly AthenaOptions _options;
    private readonly AwsCredentialsSource _credentials;
    private readonly DataFolder _folder;
    private readonly TimeProvider _clock;
    private readonly ILogger<AthenaEngine> _log;
    private readonly object _gate = new();
    private (AthenaClient Athena, AmazonS3Client S3)? _clients;

    private readonly RunnerCredentials? _runners;
    private readonly RunnerIdentity? _identity;

    public AthenaEngine(IOptions<AthenaOptions> options, AwsCredentialsSource credentials, DataFolder folder, TimeProvider clock, ILogger<AthenaEngine> log,
        RunnerCredentials? runners = null)
    {
        _options = options.Value;
        _credentials = credentials;
        _folder = folder;
        _clock = clock;
        _log = log;
        _runners = runners;
    }

    /// <summary>The engine for one run, signing every call with the runner's own temporary credentials.</summary>
    private AthenaEngine(AthenaEngine server, RunnerIdentity identity)
        : this(Microsoft.Extensions.Options.Options.Create(server._options), new FixedAwsCredentialsSource(identity.Credentials), server._folder, server._clock, server._log)
    {
        _identity = identity;
    }

    /// <summary>Shown in the evidence; with per-person credentials it names the AWS identity that ran the queries.</summary>
    public string Name => $"Amazon Athena (workgroup {_options.WorkGroup}, {_options.EffectiveRegion})"
        + (_identity is null ? "" : $" as {_identity}");

    /// <summary>With SoxAuto:Athena:Credentials = PerUser, an engine acting with the runner's own AWS identity
    /// (<see cref="RunnerCredentials"/>); with Server, this engine.</summary>
    public async Task<IQueryEngine> ForRunnerAsync(EngineRunner runner, CancellationToken ct)
    {
        if (_options.Credentials == AwsCredentialMode.Server || _identity is not null) return this;
        var runners = _runners ?? throw new InvalidOperationException("Per-person credentials need RunnerCredentials (AddAthenaEngine registers it).");
        return new AthenaEngine(this, await runners.ForAsync(runner, ct));
    }

    public AthenaOptions Options => _options;

    /// <summary>Athena answers a cheap call with these credentials: GetWorkGroup of the configured workgroup.</summary>
    public async Task CheckReadyAsync(CancellationToken ct) =>
        await CallAsync("GetWorkGroup", new JsonObject { ["WorkGroup"] = _options.WorkGroup }, ct);

    internal AthenaClient Client => Clients.Athena;

    internal AmazonS3Client S3 => Clients.S3;

    /// <summary>Created on first use (not at start-up, so the app starts even while credentials are not yet
    /// available); a failure is not remembered, so the next run tries again.</summary>
    private (AthenaClient Athena, AmazonS3Client S3) Clients
    {
        get
        {
            lock (_gate) return _clients ??= CreateClients();
        }
    }

    private (AthenaClient, AmazonS3Client) CreateClients()
    {
        var credentials = _credentials.Resolve();
        var athena = new AthenaClient(_options, credentials, _clock);
        var s3Config = new AmazonS3Config { ForcePathStyle = _options.S3ForcePathStyle, MaxErrorRetry = _options.MaxAttempts - 1 };
        if (AthenaOptions.NullIfBlank(_options.S3ServiceUrl) is { } s3Url)
        {
            s3Config.ServiceURL = s3Url;
            s3Config.AuthenticationRegion = _options.EffectiveRegion;
        }
        else
        {
            s3Config.RegionEndpoint = RegionEndpoint.GetBySystemName(_options.EffectiveRegion);
        }
        return (athena, new AmazonS3Client(credentials, s3Config));
    }

    /// <summary>Athena wants a token of 32 to 128 characters; a shorter one (such as "soxauto-run-7") is
    /// extended deterministically, so the same run always sends the same token.</summary>
    public static string AthenaToken(string token)
    {
        if (token.Length is >= 32 and <= 128) return token;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        return token.Length < 32 ? $"{token}-{hash[..Math.Max(8, 31 - token.Length)]}" : $"{token[..63]}-{hash}";
    }

    public async Task<string> StartAsync(EngineQuery query, CancellationToken ct)
    {
        var database = DatabaseOf(query.Database);
        var request = new JsonObject
        {
            ["QueryString"] = query.Sql,
            ["ClientRequestToken"] = AthenaToken(query.ClientRequestToken),
            ["QueryExecutionContext"] = new JsonObject { ["Database"] = database, ["Catalog"] = _options.Catalog },
            ["WorkGroup"] = _options.WorkGroup,
        };
        var result = new JsonObject();
        // The IPE's own results location (from its definition) wins over the configured one.
        if ((AthenaOptions.Folder(query.OutputLocation) ?? _options.EffectiveOutputLocation) is { } output) result["OutputLocation"] = output;
        if (AthenaOptions.NullIfBlank(_options.EncryptionOption) is { } enc)
        {
            var encryption = new JsonObject { ["EncryptionOption"] = enc };
            if (AthenaOptions.NullIfBlank(_options.KmsKey) is { } key) encryption["KmsKey"] = key;
            result["EncryptionConfiguration"] = encryption;
        }
        if (result.Count > 0) request["ResultConfiguration"] = result;
        if (_options.ResultReuseMaxAgeMinutes > 0)
            request["ResultReuseConfiguration"] = new JsonObject
            {
                ["ResultReuseByAgeConfiguration"] = new JsonObject { ["Enabled"] = true, ["MaxAgeInMinutes"] = _options.ResultReuseMaxAgeMinutes },
            };
        var response = await CallAsync("StartQueryExecution", request, ct);
        return (string?)response["QueryExecutionId"] ?? throw new EngineException("Athena's StartQueryExecution answer carried no QueryExecutionId.");
    }

    /// <summary>Iceberg tables read as of <paramref name="at"/> (<see cref="IcebergAsOf"/>); other tables as they are now.</summary>
    public Task<string> ReadAsOfAsync(string sql, string database, DateTimeOffset at, CancellationToken ct) =>
        IcebergAsOf.RewriteAsync(this, sql, DatabaseOf(database), at, ct);

    /// <summary>The IPE's database, else the configured one: what unqualified table names are read in.</summary>
    private string DatabaseOf(string database) => AthenaOptions.NullIfBlank(database) ?? _options.EffectiveDatabase
        ?? throw new EngineException("The IPE names no database and neither SoxAuto:Athena:Database nor ATHENA_DATABASE is set.");

    public async Task<EngineStatus> GetStatusAsync(string executionId, CancellationToken ct)
    {
        JsonObject execution;
        try
        {
            execution = await GetExecutionAsync(executionId, ct);
        }
        catch (AthenaApiException e) when (e.ErrorType == "InvalidRequestException" && e.AwsMessage.Contains("not found", StringComparison.OrdinalIgnoreCase))
        {
            return new EngineStatus(EngineState.Unknown, $"Athena does not know query execution {executionId}: {e.AwsMessage}");
        }
        catch (AthenaApiException e)
        {
            throw new EngineException($"Athena refused GetQueryExecution: {e.ErrorType}: {e.AwsMessage}", e);
        }
        var status = execution["Status"] as JsonObject ?? [];
        var statistics = Statistics(execution);
        var state = (string?)status["State"] switch
        {
            "QUEUED" => EngineState.Queued,
            "RUNNING" => EngineState.Running,
            "SUCCEEDED" => EngineState.Succeeded,
            "FAILED" => EngineState.Failed,
            "CANCELLED" => EngineState.Cancelled,
            var other => throw new EngineException($"Athena reported an unknown state '{other}' for query execution {executionId}."),
        };
        if (state is EngineState.Queued or EngineState.Running && Submitted(status) is { } submitted
            && _clock.GetUtcNow() - submitted > _options.Timeout)
        {
            await StopQuietlyAsync(executionId);
            return new EngineStatus(EngineState.Failed,
                $"The query was still {state.ToString().ToLowerInvariant()} after the time limit of {_options.Timeout} (SoxAuto:Athena:Timeout) and was stopped.", statistics);
        }
        return state switch
        {
            EngineState.Failed => new EngineStatus(state, FailureReason(status), statistics),
            EngineState.Cancelled => new EngineStatus(state, (string?)status["StateChangeReason"] ?? "The query was cancelled on Athena.", statistics),
            _ => new EngineStatus(state, null, statistics),
        };
    }

    public TimeSpan NextPollDelay(int polls, TimeSpan configured)
    {
        var ms = _options.PollInterval.TotalMilliseconds * Math.Pow(1.5, Math.Min(polls, 20));
        return TimeSpan.FromMilliseconds(Math.Min(ms, _options.MaxPollInterval.TotalMilliseconds));
    }

    public async Task StopAsync(string executionId, CancellationToken ct)
    {
        await CallAsync("StopQueryExecution", new JsonObject { ["QueryExecutionId"] = executionId }, ct);
        // Return once Athena says the query is final (CANCELLED, or it finished first).
        for (int polls = 0; ; polls++)
        {
            var status = await GetStatusAsync(executionId, ct);
            if (status.IsFinal) return;
            await Task.Delay(NextPollDelay(polls, _options.PollInterval), _clock, ct);
        }
    }

    public async Task<QueryResult> OpenResultAsync(string executionId, CancellationToken ct)
    {
        var execution = await GetExecutionAsync(executionId, ct, rethrowApiErrors: false);
        var state = (string?)execution["Status"]?["State"];
        if (state != "SUCCEEDED")
            throw new EngineException($"Query execution {executionId} has no result: it is {state}.");
        var firstPage = await CallAsync("GetQueryResults", new JsonObject { ["QueryExecutionId"] = executionId, ["MaxResults"] = 1 }, ct);
        var columns = Columns(firstPage);

        string fallbackWhy;
        var outputLocation = (string?)execution["ResultConfiguration"]?["OutputLocation"];
        if (outputLocation is null)
        {
            fallbackWhy = "the query has no S3 output location (managed query results)";
        }
        else if (!S3Location.TryParse(outputLocation, out var location))
        {
            fallbackWhy = $"the output location '{outputLocation}' is not an s3:// address";
        }
        else
        {
            try
            {
                var response = await S3.GetObjectAsync(new GetObjectRequest { BucketName = location.Bucket, Key = location.Key }, ct);
                return new QueryResult(columns, new OwnedStream(response.ResponseStream, response), $"Amazon S3 object {location}");
            }
            catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
            {
                fallbackWhy = $"the result object {location} could not be read ({e.ErrorCode ?? e.StatusCode.ToString()}: {e.Message})";
                _log.LogWarning("Reading {Location} failed ({Error}); paging GetQueryResults instead", location, e.ErrorCode);
            }
            catch (AmazonServiceException e)
            {
                throw new EngineException($"Reading the result {location} from S3 failed: {e.ErrorCode ?? e.StatusCode.ToString()}: {e.Message}", e);
            }
            catch (Exception e) when (e is AmazonClientException or HttpRequestException)
            {
                throw new EngineException($"Reading the result {location} from S3 failed: {e.Message}", e);
            }
        }
        var file = await WriteFromQueryResultsAsync(executionId, ct);
        return new QueryResult(columns, file, $"Athena GetQueryResults, paged 1,000 rows at a time, because {fallbackWhy}");
    }

    /// <summary>Pages GetQueryResults into a temporary file in Athena's CSV dialect (deleted when the stream is closed).</summary>
    private async Task<Stream> WriteFromQueryResultsAsync(string executionId, CancellationToken ct)
    {
        Directory.CreateDirectory(_folder.EngineResults);
        var path = Path.Combine(_folder.EngineResults, $"athena-{Guid.NewGuid():N}.csv");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        try
        {
            await using (var csv = new AthenaCsvWriter(file, leaveOpen: true))
            {
                string? next = null;
                var first = true;
                do
                {
                    var request = new JsonObject { ["QueryExecutionId"] = executionId, ["MaxResults"] = 1000 };
                    if (next is not null) request["NextToken"] = next;
                    var page = await CallAsync("GetQueryResults", request, ct);
                    var rows = page["ResultSet"]?["Rows"] as JsonArray ?? [];
                    foreach (var row in rows)
                    {
                        var data = row?["Data"] as JsonArray ?? [];
                        var values = data.Select(d => d is JsonObject datum && datum.TryGetPropertyValue("VarCharValue", out var v) ? (string?)v : null);
                        if (first)
                        {
                            csv.WriteHeader(values.Select(v => v ?? ""));
                            first = false;
                        }
                        else
                        {
                            csv.WriteRow(values);
                        }
                    }
                    next = (string?)page["NextToken"];
                } while (next is not null);
                await csv.FlushAsync(ct);
            }
            await file.FlushAsync(ct);
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private async Task<JsonObject> GetExecutionAsync(string executionId, CancellationToken ct, bool rethrowApiErrors = true)
    {
        var response = await CallAsync("GetQueryExecution", new JsonObject { ["QueryExecutionId"] = executionId }, ct, rethrowApiErrors);
        return response["QueryExecution"] as JsonObject ?? throw new EngineException($"Athena's answer for {executionId} carried no QueryExecution.");
    }

    private async Task<JsonObject> CallAsync(string operation, JsonObject request, CancellationToken ct, bool rethrowApiErrors = false)
    {
        try
        {
            return await Client.CallAsync(operation, request, ct);
        }
        catch (AthenaApiException e) when (!rethrowApiErrors)
        {
            throw new EngineException($"Athena refused {operation}: {e.ErrorType}: {e.AwsMessage}", e);
        }
    }

    private async Task StopQuietlyAsync(string executionId)
    {
        try
        {
            await Client.CallAsync("StopQueryExecution", new JsonObject { ["QueryExecutionId"] = executionId }, CancellationToken.None);
        }
        catch (AthenaApiException e)
        {
            _log.LogWarning("Stopping {ExecutionId} after the time limit failed: {Error}", executionId, e.Message);
        }
    }

    private static DateTimeOffset? Submitted(JsonObject status) =>
        status["SubmissionDateTime"] is JsonValue v && v.TryGetValue<double>(out var seconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)) : null;

    private static string FailureReason(JsonObject status)
    {
        var reason = (string?)status["StateChangeReason"] ?? (string?)status["AthenaError"]?["ErrorMessage"] ?? "Athena gave no reason.";
        if (status["AthenaError"] is not JsonObject error) return reason;
        var category = (int?)error["ErrorCategory"];
        var name = category switch { 1 => "system", 2 => "user", 3 => "other", _ => null };
        var type = (int?)error["ErrorType"];
        var parts = new List<string>();
        if (category is not null) parts.Add($"error category {category}{(name is null ? "" : $" ({name})")}");
        if (type is not null) parts.Add($"error type {type}");
        return parts.Count == 0 ? reason : $"{reason} [Athena {string.Join(", ", parts)}]";
    }

    internal static EngineStatistics? Statistics(JsonObject execution)
    {
        if (execution["Statistics"] is not JsonObject s) return null;
        return new EngineStatistics(
            DataScannedBytes: (long?)s["DataScannedInBytes"],
            EngineExecutionMillis: (long?)s["EngineExecutionTimeInMillis"],
            QueueMillis: (long?)s["QueryQueueTimeInMillis"],
            TotalMillis: (long?)s["TotalExecutionTimeInMillis"],
            EngineVersion: (string?)execution["EngineVersion"]?["EffectiveEngineVersion"],
            ReusedPreviousResult: (bool?)s["ResultReuseInformation"]?["ReusedPreviousResult"]);
    }

    /// <summary>Column names and Athena types from ResultSetMetadata; a decimal carries its precision and scale.</summary>
    internal static IReadOnlyList<ResultColumn> Columns(JsonObject page)
    {
        var info = page["ResultSet"]?["ResultSetMetadata"]?["ColumnInfo"] as JsonArray ?? [];
        return info.Select(c =>
        {
            var name = (string?)c?["Name"] ?? "";
            var type = ((string?)c?["Type"] ?? "varchar").ToLowerInvariant();
            if (type == "decimal")
                type = string.Create(CultureInfo.InvariantCulture, $"decimal({(int?)c?["Precision"] ?? 38},{(int?)c?["Scale"] ?? 0})");
            return new ResultColumn(name, type);
        }).ToList();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _clients?.Athena.Dispose();
            _clients?.S3.Dispose();
            _clients = null;
        }
    }
}

/// <summary>A read stream that also disposes what it came from (an S3 response).</summary>
internal sealed class OwnedStream(Stream inner, IDisposable owner) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override int Read(Span<byte> buffer) => inner.Read(buffer);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => inner.ReadAsync(buffer, offset, count, ct);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => inner.ReadAsync(buffer, ct);
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            owner.Dispose();
        }
        base.Dispose(disposing);
    }
}
