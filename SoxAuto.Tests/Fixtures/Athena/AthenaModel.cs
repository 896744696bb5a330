using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace SoxAuto.Tests.Fixtures.Athena;

/// <summary>
/// AWS's own model of the Athena API (botocore's service-2.json, from the machine's Python), used by the
/// emulator to refuse a request that the real service would refuse: unknown members, missing required
/// members, strings of the wrong length, numbers out of range, values outside an enum.
/// </summary>
internal sealed class AthenaModel
{
    private static readonly Lazy<AthenaModel> Instance = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly JsonObject _model;

    private AthenaModel(JsonObject model) => _model = model;

    public static AthenaModel Shared => Instance.Value;

    public JsonObject Metadata => (JsonObject)_model["metadata"]!;

    public bool HasOperation(string name) => _model["operations"]?[name] is not null;

    /// <summary>The problems with <paramref name="request"/> as input of <paramref name="operation"/>, none if it conforms.</summary>
    public List<string> Validate(string operation, JsonObject request)
    {
        var errors = new List<string>();
        var shape = (string)_model["operations"]![operation]!["input"]!["shape"]!;
        Check(request, shape, operation + "Input", errors);
        return errors;
    }

    private void Check(JsonNode? value, string shapeName, string path, List<string> errors)
    {
        var shape = (JsonObject)_model["shapes"]![shapeName]!;
        switch ((string)shape["type"]!)
        {
            case "structure":
                if (value is not JsonObject obj) { errors.Add($"{path} must be an object"); return; }
                var members = (JsonObject)shape["members"]!;
                foreach (var (name, member) in obj)
                {
                    if (!members.ContainsKey(name)) errors.Add($"{path}.{name} is not a member of {shapeName}");
                    else Check(member, (string)members[name]!["shape"]!, $"{path}.{name}", errors);
                }
                foreach (var required in shape["required"] as JsonArray ?? [])
                    if (!obj.ContainsKey((string)required!)) errors.Add($"{path}.{required} is required");
                break;
            case "list":
                if (value is not JsonArray list) { errors.Add($"{path} must be a list"); return; }
                for (int i = 0; i < list.Count; i++) Check(list[i], (string)shape["member"]!["shape"]!, $"{path}[{i}]", errors);
                Range(shape, list.Count, path, errors);
                break;
            case "map":
                if (value is not JsonObject map) { errors.Add($"{path} must be a map"); return; }
                foreach (var (k, v) in map) Check(v, (string)shape["value"]!["shape"]!, $"{path}.{k}", errors);
                break;
            case "string":
                if (value is not JsonValue sv || !sv.TryGetValue<string>(out var text)) { errors.Add($"{path} must be a string"); return; }
                Range(shape, text.Length, path, errors);
                if (shape["enum"] is JsonArray allowed && !allowed.Any(a => (string?)a == text))
                    errors.Add($"{path} must be one of {string.Join(", ", allowed)}");
                break;
            case "integer" or "long":
                if (value is not JsonValue nv || !nv.TryGetValue<long>(out var number)) { errors.Add($"{path} must be an integer"); return; }
                Range(shape, number, path, errors);
                break;
            case "boolean":
                if (value is not JsonValue bv || !bv.TryGetValue<bool>(out _)) errors.Add($"{path} must be a boolean");
                break;
        }
    }

    private static void Range(JsonObject shape, long n, string path, List<string> errors)
    {
        if (shape["min"] is JsonValue min && n < (long)min) errors.Add($"{path} is below the minimum of {min}");
        if (shape["max"] is JsonValue max && n > (long)max) errors.Add($"{path} is above the maximum of {max}");
    }

    private static AthenaModel Load()
    {
        var start = new ProcessStartInfo("python3", ["-c", "import botocore,os;print(os.path.dirname(botocore.__file__))"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var python = Process.Start(start)!;
        var dir = python.StandardOutput.ReadToEnd().Trim();
        python.WaitForExit();
        var plain = Path.Combine(dir, "data", "athena", "2017-05-18", "service-2.json");
        using Stream file = File.Exists(plain) ? File.OpenRead(plain) : new GZipStream(File.OpenRead(plain + ".gz"), CompressionMode.Decompress);
        return new AthenaModel((JsonObject)JsonNode.Parse(file)!);
    }
}
