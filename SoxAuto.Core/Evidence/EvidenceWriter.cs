using SoxAuto.Core.Engines;

namespace SoxAuto.Core.Evidence;

/// <summary>The one streaming pass from an engine result to stored evidence.</summary>
public sealed class EvidenceWriter
{
    public Task<EvidenceResult> WriteAsync(EvidenceRequest request, EngineResult result, IProgress<long>? rows, CancellationToken ct)
        => throw new NotImplementedException("evidence helper");
}
