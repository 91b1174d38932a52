namespace Collectives.Tests.Selection;

/// <summary>One measurement of a Collectives instrument, with its tags.</summary>
/// <param name="Instrument">The instrument's name, for example <c>collectives.operations</c>.</param>
/// <param name="Unit">The instrument's unit, for example <c>s</c>.</param>
/// <param name="Value">The measured value.</param>
/// <param name="Tags">The measurement's tags.</param>
internal sealed record RecordedMeasurement(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public string? Tag(string name) => Tags.TryGetValue(name, out object? value) ? value?.ToString() : null;

    public override string ToString() => $"{Instrument} = {Value} {Unit} {{{string.Join(", ", Tags.Select(tag => $"{tag.Key}={tag.Value}"))}}}";
}
