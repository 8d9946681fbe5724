namespace Vectros.Grains.Erasure;

/// <summary>
/// What one erasure deletes, decided on its first run and stored with the request (<c>erasure_requests.plan</c>): a
/// rerun after a crash deletes what is left of the same ids and certifies the same counts, and a dry run reports
/// exactly this without deleting. Ids and counts only: no erased value is ever copied here.
/// </summary>
internal sealed record ErasurePlan(
    string SubjectType, string SubjectId, Guid? UserId, string? Scope,
    IReadOnlyList<ContextPlan> Contexts, IdentityPlan? Identity);

/// <summary>The rows of one context the subject solely owns, what hangs off them, and what is only reported.</summary>
internal sealed record ContextPlan(
    string ContextId,
    IReadOnlyList<Guid> Records,
    IReadOnlyList<Guid> Documents,
    IReadOnlyList<Guid> Folders,
    IReadOnlyList<string> BlobKeys,
    long RecordLookups,
    long RecordReferences,
    long DocumentLookups,
    long Chunks,
    long Versions,
    long Events,
    long SharedRows,
    long DanglingReferences);

/// <summary>The subject's identity row (a user, or an entity of an entity-backed namespace), counted once.</summary>
internal sealed record IdentityPlan(string Kind, Guid Id, string Home, string HistoryKind, long Lookups, long Versions, long DanglingReferences);
