using System.Reflection;

namespace Collectives.Offload;

/// <summary>
/// Finds the offload factory for a transport name in the offload assembly, so that
/// <c>collrun --transport nic</c> works for a program that references Collectives.Offload without
/// configuring it; Collectives itself never references that assembly.
/// </summary>
internal static class OffloadProviders
{
    private const string OffloadAssembly = "Collectives.Offload";

    public static IOffloadEngineFactory? Find(string transportName)
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(OffloadAssembly));
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        OffloadProviderAttribute? provider = assembly.GetCustomAttributes<OffloadProviderAttribute>()
            .FirstOrDefault(attribute => attribute.TransportName.Equals(transportName, StringComparison.OrdinalIgnoreCase));
        return provider is null ? null : Activator.CreateInstance(provider.FactoryType) as IOffloadEngineFactory
            ?? throw new InvalidOperationException($"{provider.FactoryType} named by {OffloadAssembly} for '{transportName}' is not an {nameof(IOffloadEngineFactory)}.");
    }
}
