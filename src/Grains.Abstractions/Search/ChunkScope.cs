using Orleans;

namespace Vectros.Grains.Abstractions.Search;

/// <summary>
/// Which chunks a search may return, beyond the caller's tenant and context (which every lane binds from the
/// caller, never from here): the request's placement, ownership, time and field filters, already validated.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.ChunkScope")]
public sealed record ChunkScope
{
    [Id(0)]
    public bool Documents { get; init; } = true;

    [Id(1)]
    public bool Records { get; init; } = true;

    [Id(2)]
    public Guid? FolderId { get; init; }

    [Id(3)]
    public Guid? RootFolderId { get; init; }

    [Id(4)]
    public string? TypeName { get; init; }

    [Id(5)]
    public DateTimeOffset? CreatedAfter { get; init; }

    [Id(6)]
    public DateTimeOffset? CreatedBefore { get; init; }

    [Id(7)]
    public Guid? UserId { get; init; }

    [Id(8)]
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>ANDed.</summary>
    [Id(9)]
    public IReadOnlyList<FieldCondition> Conditions { get; init; } = [];
}

/// <summary>What a filter field is compared against.</summary>
[GenerateSerializer, Alias("vectros.FilterTarget")]
public enum FilterTarget
{
    /// <summary>A key of <c>chunks.filter</c>, compared as JSON (numbers and booleans by type).</summary>
    Payload,

    /// <summary>A key of <c>chunks.filter</c> declared <c>date</c>: compared as points in time.</summary>
    PayloadDate,

    /// <summary><c>chunks.user_id</c>.</summary>
    UserId,

    /// <summary><c>chunks.external_id</c>.</summary>
    ExternalId,

    /// <summary>An entry of <c>chunks.scopes</c> in one namespace (orgId, clientId, <c>scope:&lt;ns&gt;</c>).</summary>
    Scope,
}

/// <summary>The closed operator set of spec FilterCondition (L5200).</summary>
[GenerateSerializer, Alias("vectros.FilterOperator")]
public enum FilterOperator
{
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
    Nin,
}

/// <summary>
/// One operator on one field. <see cref="Operands"/> are JSON texts of scalars for <see cref="FilterTarget.Payload"/>,
/// ISO-8601 UTC instants for <see cref="FilterTarget.PayloadDate"/>, UUIDs for <see cref="FilterTarget.UserId"/>,
/// plain strings for <see cref="FilterTarget.ExternalId"/> and <c>ns:value</c> entries for <see cref="FilterTarget.Scope"/>.
/// One operand, except for <c>$in</c>/<c>$nin</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.FieldCondition")]
public sealed record FieldCondition(
    [property: Id(0)] string Field,
    [property: Id(1)] FilterTarget Target,
    [property: Id(2)] FilterOperator Operator,
    [property: Id(3)] IReadOnlyList<string> Operands);
