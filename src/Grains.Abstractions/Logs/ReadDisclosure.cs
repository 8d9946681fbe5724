using Orleans;

namespace Vectros.Grains.Abstractions.Logs;

/// <summary>
/// What a read of one item disclosed, for the read-access log: which sensitive fields (by name) were in the
/// returned payload and whether they came back in plaintext. Attached to a view by the grain that masked or revealed
/// it (the only place that knows); null on a view of a type that has no sensitive field in it and has not opted in
/// with <c>capabilities.readAccessLog</c>. Never serialised to a caller.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.ReadDisclosure")]
public sealed record ReadDisclosure(
    [property: Id(0)] IReadOnlyList<string> SensitiveFields,
    [property: Id(1)] bool Revealed)
{
    /// <summary>True only when a sensitive value actually came back unmasked (spec ReadAccessLogResponse.revealedSensitive).</summary>
    public bool RevealedSensitive => Revealed && SensitiveFields.Count > 0;
}
