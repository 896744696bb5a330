using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SoxAuto.Core.Evidence.Store;

public static class EvidenceStoreRegistration
{
    /// <summary>The one evidence store SoxAuto:Evidence:Store names (Folder unless set).</summary>
    public static IServiceCollection AddEvidenceStore(this IServiceCollection s, IConfiguration configuration)
    {
        s.AddOptions<EvidenceStoreOptions>().BindConfiguration(EvidenceStoreOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (configuration.GetValue($"{EvidenceStoreOptions.Section}:Store", EvidenceStoreKind.Folder) == EvidenceStoreKind.S3)
            s.AddSingleton<IEvidenceStore, S3EvidenceStore>();
        else
            s.AddSingleton<IEvidenceStore, FolderEvidenceStore>();
        return s;
    }
}
