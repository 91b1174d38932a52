namespace Collectives.CollBench.FirstCalls;

/// <summary>
/// Whether this process runs with tiered compilation. collbench's runtimeconfig turns it off (see
/// CollBench.csproj) to time optimized code; an application runs with the runtime's default (on),
/// and its first calls run tier-0 code and pay for jitting twice. The runtime lets
/// <c>DOTNET_TieredCompilation</c> (or the legacy <c>COMPlus_</c> spelling) override the runtimeconfig.
/// </summary>
internal static class TieredCompilationState
{
    public const string Variable = "DOTNET_TieredCompilation";

    private const string LegacyVariable = "COMPlus_TieredCompilation";

    private const string RuntimeConfigProperty = "System.Runtime.TieredCompilation";

    public static bool IsOn(Func<string, string?> environment, Func<string, object?> runtimeConfig)
    {
        if ((environment(Variable) ?? environment(LegacyVariable)) is { Length: > 0 } text)
        {
            // The runtime reads the variable as a hexadecimal DWORD: 0 is off, anything else on.
            return !(uint.TryParse(text, System.Globalization.NumberStyles.HexNumber, null, out uint value) && value == 0);
        }

        return runtimeConfig(RuntimeConfigProperty) is not (false or "false" or "False");
    }

    public static bool IsOnHere() => IsOn(Environment.GetEnvironmentVariable, AppContext.GetData);
}
