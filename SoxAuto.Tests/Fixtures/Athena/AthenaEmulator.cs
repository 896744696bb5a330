using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.S3.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Engines.Local;
using SoxAuto.Core.Evidence;
using SoxAuto.Core.Extract;

namespace SoxAuto.Tests.Fixtures.Athena;

/// <summary>
/// A stand-in for Amazon Athena on loopback: a real Kestrel server speaking Athena's JSON 1.1 protocol as AWS's
/// model defines it (requests are checked against botocore's service-2.json), verifying SigV4 signatures,
/// requiring a ClientRequestToken, running the SQL on DuckDB over the demo lake (through the local engine) and
/// writing the result CSV to S3 (s3rver) at <c>&lt;OutputLocation&gt;&lt;QueryExecutionId&gt;.csv</c>, as Athena does.
/// Faults can be injected: throttling, 5xx, dropped connections, QUEUED/RUNNING delays, scripted states, managed results.
/// Tables can be made Iceberg tables with versions committed over time (<see cref="MakeIceberg"/>, <see cref="CommitIcebergVersion"/>),
/// read <c>FOR TIMESTAMP AS OF</c> as Athena reads them (the partial class in AthenaEmulator.Iceberg.cs).
/// </summary>
public sealed partial class AthenaEmulator : IAsyncDisposable
{
    public const string Region = "eu-west-1";
    // One identity for Athena and S3, as in AWS: s3rver knows only its own key pair.
    public const string AccessKey = S3Server.AccessKey;
    public const string SecretKey = S3Server.SecretKey;
    public const string WorkGroup = "soxauto-tests";
    public const string EngineVersion = "Athena engine version 3";

    private readonly WebApplication _app;
    private readonly TempDataFolder _data;
    private LocalEngine _local;
    private readonly List<LocalEngine> _retired = [];
    private readonly S3Server _s3;
    private readonly ConcurrentDictionary<string, Execution> _executions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byToken = new(StringComparer.Ordinal);
    private readonly string _prefix = "athena/" + Guid.NewGuid().ToString("N")[..12] + "/";

    private AthenaEmulator(WebApplication app, S3Server s3)
    {
        _app = app;
        _s3 = s3;
        _data = DemoLakeFixture.NewDataFolder();
        _local = new LocalEngine(_data.Folder);
    }

    public static async Task<AthenaEmulator> StartAsync(S3Server? s3 = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var emulator = new AthenaEmulator(app, s3 ?? S3Server.Shared);
        app.MapPost("/", emulator.HandleAsync);
        await app.StartAsync();
        emulator.Endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return emulator;
    }

    /// <summary>e.g. http://127.0.0.1:40123</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>The workgroup's result location (a prefix of its own in the shared s3rver bucket).</summary>
    public string OutputLocation => $"s3://{S3Server.Bucket}/{_prefix}";

    public S3Server S3 => _s3;

    // ---- faults and observations -------------------------------------------------------------------------

    /// <summary>Operation name -> how many of its next calls are answered with TooManyRequestsException.</summary>
    public ConcurrentDictionary<string, int> ThrottleNext { get; } = new();

    /// <summary>Operation name -> how many of its next calls are answered with HTTP 500 InternalServerException.</summary>
    public ConcurrentDictionary<string, int> ServerErrorNext { get; } = new();

    /// <summary>Operation name -> how many of its next calls have their connection dropped without an answer.</summary>
    public ConcurrentDictionary<string, int> DropNext { get; } = new();

    /// <summary>How long a new query stays QUEUED.</summary>
    public TimeSpan QueuedFor { get; set; }

    /// <summary>While set and not yet completed, a new query stays QUEUED (after <see cref="QueuedFor"/>): the test
    /// decides when it may run, where a fixed QueuedFor could run out on a busy machine before the test's step is done.</summary>
    public TaskCompletionSource? HoldQueued { get; set; }

    /// <summary>How long a query is RUNNING before the SQL is actually run.</summary>
    public TimeSpan RunningFor { get; set; }

    /// <summary>States the next query reports to its first GetQueryExecution calls, one per call, before it
    /// actually runs: a deterministic way to show e.g. RUNNING -> QUEUED -> RUNNING on a busy machine.</summary>
    public IReadOnlyList<string> ScriptedStates { get; set; } = [];

    /// <summary>Managed query results: no S3 output location, nothing written to S3 (GetQueryResults only).</summary>
    public bool ManagedResults { get; set; }

    /// <summary>Every operation called, in order (after the signature check).</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>STS on the same endpoint (a form post is STS's Query API), issuing the temporary credentials this
    /// Athena accepts.</summary>
    public FakeSts Sts { get; } = new();

    /// <summary>The access key of every Athena request whose signature was accepted, in order.</summary>
    public ConcurrentQueue<string> SignedWith { get; } = new();

    /// <summary>Every StartQueryExecution request body that was accepted.</summary>
    public ConcurrentQueue<JsonObject> StartRequests { get; } = new();

    /// <summary>How many distinct queries were launched (an idempotent repeat launches none).</summary>
    public int QueriesLaunched => _executions.Count;

    public IReadOnlyList<string> ExecutionIds => _executions.Keys.ToList();

    public int CallsOf(string operation) => Calls.Count(c => c == operation);

    public string? StateOf(string id) => _executions.TryGetValue(id, out var e) ? e.State : null;

    // ---- the protocol ------------------------------------------------------------------------------------

    private async Task HandleAsync(HttpContext ctx)
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();

        var longTerm = new Dictionary<string, string> { [AccessKey] = SecretKey };
        if (ctx.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) == true)
        {
            await Sts.HandleAsync(ctx, body, longTerm);
            return;
        }
        // Temporary credentials from the fake STS are good only with their session token and until they expire.
        var now = DateTimeOffset.UtcNow;
        if ((SigV4Verifier.Verify(ctx.Request, body, "athena", Sts.Secrets(longTerm), now) ?? Sts.TemporaryKeyRefusal(ctx.Request, now)) is { } refused)
        {
            await ErrorAsync(ctx, refused.Status, refused.Type, refused.Message, lowerCaseMessage: true);
            return;
        }
        SignedWith.Enqueue(FakeSts.AccessKeyOf(ctx.Request)!);
        var target = ctx.Request.Headers["X-Amz-Target"].ToString();
        var prefix = (string)AthenaModel.Shared.Metadata["targetPrefix"]! + ".";
        if (!target.StartsWith(prefix, StringComparison.Ordinal) || !AthenaModel.Shared.HasOperation(target[prefix.Length..]))
        {
            await ErrorAsync(ctx, 400, "UnknownOperationException", $"Unknown operation {target}");
            return;
        }
        if (ctx.Request.ContentType != "application/x-amz-json-" + (string)AthenaModel.Shared.Metadata["jsonVersion"]!)
        {
            await ErrorAsync(ctx, 400, "SerializationException", $"Unexpected content type {ctx.Request.ContentType}");
            return;
        }
        var operation = target[prefix.Length..];
        JsonObject request;
        try
        {
            request = body.Length == 0 ? [] : JsonNode.Parse(body) as JsonObject ?? throw new FormatException();
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            await ErrorAsync(ctx, 400, "SerializationException", "The request body is not a JSON object.");
            return;
        }
        Calls.Enqueue(operation);

        if (Take(DropNext, operation))
        {
            ctx.Abort();
            return;
        }
        if (Take(ThrottleNext, operation))
        {
            await ErrorAsync(ctx, 400, "TooManyRequestsException", "Rate exceeded", extra: new JsonObject { ["Reason"] = "CONCURRENT_QUERY_LIMIT_EXCEEDED" });
            return;
        }
        if (Take(ServerErrorNext, operation))
        {
            await ErrorAsync(ctx, 500, "InternalServerException", "An internal error occurred (injected by the emulator).");
            return;
        }
        var invalid = AthenaModel.Shared.Validate(operation, request);
        if (invalid.Count > 0)
        {
            await ErrorAsync(ctx, 400, "InvalidRequestException",
                $"{invalid.Count} validation error{(invalid.Count == 1 ? "" : "s")} detected: {string.Join("; ", invalid)}");
            return;
        }
        try
        {
            var response = operation switch
            {
                "StartQueryExecution" => Start(request),
                "GetQueryExecution" => Describe(Find(request)),
                "GetQueryResults" => await ResultsAsync(Find(request), request),
                "StopQueryExecution" => Stop(Find(request)),
                "GetWorkGroup" => GetWorkGroup(request),
                "ListDatabases" => ListDatabases(),
                "ListTableMetadata" => new JsonObject { ["TableMetadataList"] = new JsonArray(Tables(request).ToArray()) },
                "GetTableMetadata" => new JsonObject
                {
                    ["TableMetadata"] = Tables(request).FirstOrDefault(t => string.Equals((string?)t["Name"], (string?)request["TableName"], StringComparison.OrdinalIgnoreCase))
                        ?? throw new AthenaError(400, "MetadataException", $"Table {request["TableName"]} not found in database {request["DatabaseName"]}."),
                },
                _ => throw new AthenaError(400, "InvalidRequestException", $"The emulator does not implement {operation}."),
            };
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/x-amz-json-1.1";
            ctx.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
            await ctx.Response.WriteAsync(response.ToJsonString());
        }
        catch (AthenaError e)
        {
            await ErrorAsync(ctx, e.Status, e.Type, e.Message);
        }
    }

    // ---- the catalog, the workgroup, STS -----------------------------------------------------------------

    private JsonObject GetWorkGroup(JsonObject request)
    {
        if ((string?)request["WorkGroup"] != WorkGroup)
            throw new AthenaError(400, "InvalidRequestException", $"WorkGroup {request["WorkGroup"]} is not found.");
        var configuration = new JsonObject
        {
            ["EnforceWorkGroupConfiguration"] = false,
            ["EngineVersion"] = new JsonObject { ["SelectedEngineVersion"] = "AUTO", ["EffectiveEngineVersion"] = EngineVersion },
        };
        if (!ManagedResults) configuration["ResultConfiguration"] = new JsonObject { ["OutputLocation"] = OutputLocation };
        return new JsonObject
        {
            ["WorkGroup"] = new JsonObject { ["Name"] = WorkGroup, ["State"] = "ENABLED", ["Configuration"] = configuration },
        };
    }

    private static JsonObject ListDatabases() => new()
    {
        ["DatabaseList"] = new JsonArray(LakeConnection.Databases(DemoLakeFixture.SharedLakePath).Keys
            .Select(name => (JsonNode)new JsonObject { ["Name"] = name }).ToArray()),
    };

    private IEnumerable<JsonObject> Tables(JsonObject request)
    {
        var database = (string?)request["DatabaseName"] ?? "";
        var lake = DemoLakeFixture.SharedLakePath;
        var databases = LakeConnection.Databases(lake);
        if (!databases.TryGetValue(database, out var tables))
            throw new AthenaError(400, "MetadataException", $"Database {database} not found.");
        using var con = LakeConnection.Open(lake, database);
        var result = new List<JsonObject>();
        foreach (var table in tables.Keys)
        {
            using var cmd = con.CreateCommand();
            cmd.CommandText = $"DESCRIBE \"{table.Replace("\"", "\"\"")}\"";
            using var r = cmd.ExecuteReader();
            var columns = new JsonArray();
            while (r.Read())
                columns.Add(new JsonObject { ["Name"] = r.GetString(0), ["Type"] = GlueType(r.GetString(1)) });
            result.Add(new JsonObject
            {
                ["Name"] = table,
                ["TableType"] = "EXTERNAL_TABLE",
                ["Columns"] = columns,
                ["PartitionKeys"] = new JsonArray(),
                ["Parameters"] = TableParameters(database, table),
            });
        }
        return result;
    }

    private static string GlueType(string duck) => duck.ToUpperInvariant() switch
    {
        "VARCHAR" => "string",
        "INTEGER" => "int",
        var t when t.StartsWith("DECIMAL", StringComparison.Ordinal) => duck.ToLowerInvariant(),
        var t when t.StartsWith("TIMESTAMP", StringComparison.Ordinal) => "timestamp",
        var t => t.ToLowerInvariant(),
    };

    public const string Account = "111122223333";
    public const string CallerArn = "arn:aws:iam::111122223333:user/soxauto-tests";

    private static bool Take(ConcurrentDictionary<string, int> faults, string operation)
    {
        while (faults.TryGetValue(operation, out var n) && n > 0)
            if (faults.TryUpdate(operation, n - 1, n)) return true;
        return false;
    }

    private static async Task ErrorAsync(HttpContext ctx, int status, string type, string message, bool lowerCaseMessage = false, JsonObject? extra = null)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/x-amz-json-1.1";
        ctx.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        ctx.Response.Headers["x-amzn-ErrorType"] = type;
        var doc = new JsonObject { ["__type"] = type, [lowerCaseMessage ? "message" : "Message"] = message };
        foreach (var (k, v) in extra ?? []) doc[k] = v?.DeepClone();
        await ctx.Response.WriteAsync(doc.ToJsonString());
    }

    private sealed class AthenaError(int status, string type, string message) : Exception(message)
    {
        public int Status { get; } = status;
        public string Type { get; } = type;
    }

    private Execution Find(JsonObject request)
    {
        var id = (string?)request["QueryExecutionId"] ?? "";
        return _executions.TryGetValue(id, out var e) ? e : throw new AthenaError(400, "InvalidRequestException", $"QueryExecution {id} was not found");
    }

    private JsonObject Start(JsonObject request)
    {
        // The model marks the token optional only because SDKs fill it in; Athena itself requires it.
        var token = (string?)request["ClientRequestToken"]
            ?? throw new AthenaError(400, "InvalidRequestException", "ClientRequestToken is required: Athena needs it to make StartQueryExecution idempotent.");
        var sql = (string)request["QueryString"]!;
        var database = (string?)request["QueryExecutionContext"]?["Database"] ?? "default";
        var catalog = (string?)request["QueryExecutionContext"]?["Catalog"] ?? "AwsDataCatalog";
        var workGroup = (string?)request["WorkGroup"] ?? "primary";
        if (workGroup != WorkGroup)
            throw new AthenaError(400, "InvalidRequestException", $"WorkGroup {workGroup} is not found.");
        var output = ManagedResults ? null : (string?)request["ResultConfiguration"]?["OutputLocation"] ?? OutputLocation;
        Execution execution;
        lock (_byToken)
        {
            if (_byToken.TryGetValue(token, out var known))
            {
                var earlier = _executions[known];
                if (earlier.Sql != sql || earlier.Database != database)
                    throw new AthenaError(400, "InvalidRequestException", "Idempotent parameters do not match");
                return new JsonObject { ["QueryExecutionId"] = known };
            }
            execution = new Execution(Guid.NewGuid().ToString("D"), token, sql, database, catalog, workGroup,
                output is null ? null : (output.EndsWith('/') ? output : output + "/"), DateTimeOffset.UtcNow, (JsonObject)request.DeepClone());
            foreach (var scripted in ScriptedStates) execution.Script.Enqueue(scripted);
            _executions[execution.Id] = execution;
            _byToken[token] = execution.Id;
        }
        StartRequests.Enqueue((JsonObject)request.DeepClone());
        execution.Work = Task.Run(() => RunAsync(execution));
        return new JsonObject { ["QueryExecutionId"] = execution.Id };
    }

    private async Task RunAsync(Execution e)
    {
        var ct = e.Stop.Token;
        try
        {
            await Task.Delay(QueuedFor, ct);
            if (HoldQueued is { } hold) await hold.Task.WaitAsync(ct);
            e.QueueMillis = (long)(DateTimeOffset.UtcNow - e.Submitted).TotalMilliseconds;
            e.State = "RUNNING";
            await Task.Delay(RunningFor, ct);
            while (!e.Script.IsEmpty) await Task.Delay(10, ct);
            var started = DateTimeOffset.UtcNow;
            string sql;
            try { sql = ReadIcebergAsOf(e.Sql, e.Database); }
            catch (AthenaError refused)
            {
                e.Finish("FAILED", refused.Message, new JsonObject
                {
                    ["ErrorCategory"] = 2,
                    ["ErrorType"] = 1001,
                    ["Retryable"] = false,
                    ["ErrorMessage"] = refused.Message,
                });
                return;
            }
            e.LocalId = await _local.StartAsync(new EngineQuery(sql, e.Database, e.Token), CancellationToken.None);
            EngineStatus status;
            while (true)
            {
                status = await _local.GetStatusAsync(e.LocalId, CancellationToken.None);
                if (status.IsFinal) break;
                if (ct.IsCancellationRequested) await _local.StopAsync(e.LocalId, CancellationToken.None);
                else await Task.Delay(20, CancellationToken.None);
            }
            e.EngineMillis = (long)(DateTimeOffset.UtcNow - started).TotalMilliseconds;
            switch (status.State)
            {
                case EngineState.Succeeded:
                    await using (var result = await _local.OpenResultAsync(e.LocalId, CancellationToken.None))
                    {
                        using var copy = new MemoryStream();
                        await result.Csv.CopyToAsync(copy);
                        e.Columns = result.Columns;
                        e.Csv = copy.ToArray();
                    }
                    if (e.OutputLocation is not null)
                    {
                        var location = SoxAuto.Core.Engines.Athena.S3Location.TryParse(e.OutputLocation + e.Id + ".csv", out var l) ? l : throw new InvalidOperationException();
                        using var s3 = _s3.CreateClient();
                        await s3.PutObjectAsync(new PutObjectRequest
                        {
                            BucketName = location.Bucket,
                            Key = location.Key,
                            InputStream = new MemoryStream(e.Csv),
                            ContentType = "text/csv",
                            UseChunkEncoding = false, // s3rver would store aws-chunked framing
                        });
                    }
                    e.Finish("SUCCEEDED", null);
                    break;
                case EngineState.Cancelled:
                    e.Finish("CANCELLED", "Query cancelled by user");
                    break;
                default:
                    e.Finish("FAILED", status.Reason ?? "The query failed.", new JsonObject
                    {
                        ["ErrorCategory"] = 2,
                        ["ErrorType"] = 1301,
                        ["Retryable"] = false,
                        ["ErrorMessage"] = status.Reason,
                    });
                    break;
            }
        }
        catch (OperationCanceledException)
        {
            e.Finish("CANCELLED", "Query cancelled by user");
        }
        catch (Exception ex)
        {
            e.Finish("FAILED", $"Emulator failure: {ex.Message}", new JsonObject
            {
                ["ErrorCategory"] = 1,
                ["ErrorType"] = 401,
                ["Retryable"] = true,
                ["ErrorMessage"] = ex.Message,
            });
        }
    }

    private static JsonObject Stop(Execution e)
    {
        if (!e.IsFinal) e.Stop.Cancel();
        return [];
    }

    private static double Epoch(DateTimeOffset t) => t.ToUnixTimeMilliseconds() / 1000.0;

    private static JsonObject Describe(Execution e)
    {
        var state = !e.IsFinal && e.Script.TryDequeue(out var scripted) ? scripted : e.State;
        var status = new JsonObject { ["State"] = state, ["SubmissionDateTime"] = Epoch(e.Submitted) };
        if (e.Reason is not null) status["StateChangeReason"] = e.Reason;
        if (e.Completed is { } done) status["CompletionDateTime"] = Epoch(done);
        if (e.Error is not null) status["AthenaError"] = e.Error.DeepClone();
        var total = (long)((e.Completed ?? DateTimeOffset.UtcNow) - e.Submitted).TotalMilliseconds;
        var statistics = new JsonObject
        {
            ["EngineExecutionTimeInMillis"] = e.EngineMillis,
            ["DataScannedInBytes"] = e.Csv?.LongLength ?? 0,
            ["TotalExecutionTimeInMillis"] = total,
            ["QueryQueueTimeInMillis"] = e.QueueMillis,
            ["ServicePreProcessingTimeInMillis"] = 1,
            ["QueryPlanningTimeInMillis"] = 1,
            ["ServiceProcessingTimeInMillis"] = 1,
            ["ResultReuseInformation"] = new JsonObject { ["ReusedPreviousResult"] = false },
        };
        var execution = new JsonObject
        {
            ["QueryExecutionId"] = e.Id,
            ["Query"] = e.Sql,
            ["StatementType"] = "DML",
            ["QueryExecutionContext"] = new JsonObject { ["Database"] = e.Database, ["Catalog"] = e.Catalog },
            ["Status"] = status,
            ["Statistics"] = statistics,
            ["WorkGroup"] = e.WorkGroup,
            ["EngineVersion"] = new JsonObject { ["SelectedEngineVersion"] = "AUTO", ["EffectiveEngineVersion"] = EngineVersion },
        };
        var resultConfiguration = new JsonObject();
        if (e.OutputLocation is not null) resultConfiguration["OutputLocation"] = e.OutputLocation + e.Id + ".csv";
        if (e.Request["ResultConfiguration"]?["EncryptionConfiguration"] is JsonNode enc) resultConfiguration["EncryptionConfiguration"] = enc.DeepClone();
        execution["ResultConfiguration"] = resultConfiguration;
        if (e.Request["ResultReuseConfiguration"] is JsonNode reuse) execution["ResultReuseConfiguration"] = reuse.DeepClone();
        return new JsonObject { ["QueryExecution"] = execution };
    }

    private static async Task<JsonObject> ResultsAsync(Execution e, JsonObject request)
    {
        if (e.State != "SUCCEEDED")
            throw new AthenaError(400, "InvalidRequestException", $"Query has not yet finished. Current state: {e.State}");
        var rows = await e.RowsAsync();
        var max = (int?)request["MaxResults"] ?? 1000;
        var from = 0;
        if ((string?)request["NextToken"] is { } token)
        {
            try { from = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture); }
            catch (FormatException) { throw new AthenaError(400, "InvalidRequestException", "NextToken is invalid."); }
        }
        var page = new JsonArray();
        foreach (var row in rows.Skip(from).Take(max))
            page.Add(new JsonObject
            {
                ["Data"] = new JsonArray(row.Select(v => (JsonNode)(v is null ? new JsonObject() : new JsonObject { ["VarCharValue"] = v })).ToArray()),
            });
        var columns = new JsonArray(e.Columns!.Select(ColumnInfo).ToArray());
        var response = new JsonObject
        {
            ["UpdateCount"] = 0,
            ["ResultSet"] = new JsonObject { ["Rows"] = page, ["ResultSetMetadata"] = new JsonObject { ["ColumnInfo"] = columns } },
        };
        if (from + max < rows.Count)
            response["NextToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes((from + max).ToString(CultureInfo.InvariantCulture)));
        return response;
    }

    /// <summary>Athena's ColumnInfo: a decimal's precision and scale are separate members.</summary>
    private static JsonNode ColumnInfo(ResultColumn c)
    {
        var type = c.Type;
        int precision = 0, scale = 0;
        if (type.StartsWith("decimal(", StringComparison.Ordinal))
        {
            var ps = type["decimal(".Length..^1].Split(',');
            precision = int.Parse(ps[0], CultureInfo.InvariantCulture);
            scale = int.Parse(ps[1], CultureInfo.InvariantCulture);
            type = "decimal";
        }
        else
        {
            precision = type switch
            {
                "varchar" => 2147483647,
                "bigint" => 19,
                "integer" => 10,
                "smallint" => 5,
                "tinyint" => 3,
                "double" => 17,
                "real" => 9,
                "boolean" => 0,
                "date" => 0,
                _ => 3,
            };
        }
        return new JsonObject
        {
            ["CatalogName"] = "hive",
            ["SchemaName"] = "",
            ["TableName"] = "",
            ["Name"] = c.Name,
            ["Label"] = c.Name,
            ["Type"] = type,
            ["Precision"] = precision,
            ["Scale"] = scale,
            ["Nullable"] = "UNKNOWN",
            ["CaseSensitive"] = type == "varchar",
        };
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var e in _executions.Values) e.Stop.Cancel();
        await Task.WhenAll(_executions.Values.Select(e => e.Work));
        await _app.StopAsync();
        await _app.DisposeAsync();
        _local.Dispose();
        foreach (var retired in _retired) retired.Dispose();
        _data.Dispose();
    }

    private sealed class Execution(string id, string token, string sql, string database, string catalog, string workGroup,
        string? outputLocation, DateTimeOffset submitted, JsonObject request)
    {
        public string Id { get; } = id;
        public string Token { get; } = token;
        public string Sql { get; } = sql;
        public string Database { get; } = database;
        public string Catalog { get; } = catalog;
        public string WorkGroup { get; } = workGroup;
        public string? OutputLocation { get; } = outputLocation;
        public DateTimeOffset Submitted { get; } = submitted;
        public JsonObject Request { get; } = request;
        public CancellationTokenSource Stop { get; } = new();
        public ConcurrentQueue<string> Script { get; } = new();
        public Task Work { get; set; } = Task.CompletedTask;
        public volatile string State = "QUEUED";
        public string? Reason { get; private set; }
        public JsonObject? Error { get; private set; }
        public DateTimeOffset? Completed { get; private set; }
        public string LocalId { get; set; } = "";
        public long QueueMillis { get; set; }
        public long EngineMillis { get; set; }
        public IReadOnlyList<ResultColumn>? Columns { get; set; }
        public byte[]? Csv { get; set; }
        private List<string?[]>? _rows;

        public bool IsFinal => State is "SUCCEEDED" or "FAILED" or "CANCELLED";

        public void Finish(string state, string? reason, JsonObject? error = null)
        {
            Reason = reason;
            Error = error;
            Completed = DateTimeOffset.UtcNow;
            State = state;
        }

        /// <summary>The result as GetQueryResults gives it: the header first, then the rows, NULL as null.</summary>
        public async Task<List<string?[]>> RowsAsync()
        {
            if (_rows is not null) return _rows;
            var rows = new List<string?[]>();
            var reader = new AthenaCsvReader(new MemoryStream(Csv!));
            rows.Add(await reader.ReadHeaderAsync(CancellationToken.None));
            while (await reader.ReadRowAsync(CancellationToken.None))
            {
                var row = new string?[reader.FieldCount];
                for (int i = 0; i < row.Length; i++) row[i] = reader.Text(i);
                rows.Add(row);
            }
            return _rows = rows;
        }
    }
}
