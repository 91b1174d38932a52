namespace Collectives.Offload;

/// <summary>
/// Names, in an offload assembly, the <see cref="IOffloadEngineFactory"/> that
/// <see cref="Communicator.ConnectAsync(CommunicatorOptions?, CancellationToken)"/> uses when the
/// launcher asks for a transport of that name (<c>collrun --transport nic</c>) and no factory is
/// configured.
/// </summary>
/// <param name="transportName">The transport name, for example <c>nic</c>.</param>
/// <param name="factoryType">A public type with a public parameterless constructor that implements <see cref="IOffloadEngineFactory"/>.</param>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class OffloadProviderAttribute(string transportName, Type factoryType) : Attribute
{
    /// <summary>The transport name the factory answers to.</summary>
    public string TransportName { get; } = transportName;

    /// <summary>The factory type.</summary>
    public Type FactoryType { get; } = factoryType;
}
