namespace Collectives.Tests.Bootstrap;

/// <summary>A fake process environment: pairs in, a lookup out.</summary>
internal static class Env
{
    public static Func<string, string?> Of(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.GetValueOrDefault(name);
    }

    public static Func<string, string?> Of(IEnumerable<(string Name, string Value)> variables) => Of([.. variables]);
}
