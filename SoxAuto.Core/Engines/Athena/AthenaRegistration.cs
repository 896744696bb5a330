using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SoxAuto.Core.Engines.Athena;

public static class AthenaRegistration
{
    /// <summary>The Athena engine as the <see cref="IQueryEngine"/>, its options validated at start-up.</summary>
    public static IServiceCollection AddAthenaEngine(this IServiceCollection s)
    {
        s.AddOptions<AthenaOptions>().BindConfiguration(AthenaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        s.TryAddSingleton<AwsCredentialsSource>();
        s.TryAddSingleton<IPersonTokens, NoPersonTokens>();
        s.AddSingleton<RunnerCredentials>();
        s.AddSingleton<AthenaEngine>();
        s.AddSingleton<IQueryEngine>(sp => sp.GetRequiredService<AthenaEngine>());
        s.AddSingleton<AthenaCatalog>();
        s.AddSingleton<AthenaConnectionCheck>();
        return s;
    }
}
