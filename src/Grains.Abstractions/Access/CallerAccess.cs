using Orleans;

namespace Vectros.Grains.Abstractions.Access;

/// <summary>
/// A scoped caller's authority as grains enforce it (issue #9 item 7): its clauses (from the access profile, the
/// token or the key; API-DELTA §8.4) and the identity its placeholders resolve against, with the membership and
/// parent facts looked up for this request. Root keys carry none: they act tenant-wide (DESIGN §5a).
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.CallerAccess")]
public sealed record CallerAccess(
    [property: Id(0)] IReadOnlyList<ScopeClause> Clauses,
    [property: Id(1)] AccessIdentity Identity);
