using System.Text.Json.Serialization;

namespace Vectros.ApiFrontend.Contracts;

// Spec UsageReportResponse (L6665) and its parts, plus the 0.40 identity.entities (API-DELTA §9) and a
// credits.breakdown.inference line for the per-call inference platform fee, so the breakdown adds up to credits.used.
// Every credit figure has its exact *Milli twin; rounded credits truncate.

public sealed record CountAndCredits(long Count, long Credits, long CreditsMilli);

public sealed record QueryCounts(CountAndCredits Text, CountAndCredits Semantic, CountAndCredits Hybrid);

public sealed record IngestEntry(long Count, long Bytes, long Credits, long CreditsMilli);

public sealed record IngestCounts(IngestEntry Text, IngestEntry Semantic, IngestEntry Hybrid, IngestEntry ParentChunks);

public sealed record StorageEntry(long Bytes, long EstimatedCredits, long EstimatedCreditsMilli)
{
    public static readonly StorageEntry Zero = new(0, 0, 0);
}

public sealed record StorageBytesSearch(StorageEntry Text, StorageEntry Semantic, StorageEntry Hybrid, StorageEntry ParentChunks);

public sealed record SearchSection(QueryCounts Queries, IngestCounts Ingest, StorageBytesSearch IndexStorageBytes);

public sealed record DocumentIngest(CountAndCredits Text, CountAndCredits File);

public sealed record DocumentStorage(StorageEntry Text, StorageEntry File);

public sealed record Downloads(long Bytes, long Credits);

public sealed record WriteStats(long Count, long IndexCount, long Credits, long CreditsMilli);

public sealed record DocumentsSection(
    DocumentIngest Ingest, DocumentStorage SecondaryStorageBytes, Downloads Downloads, WriteStats Writes, StorageEntry PrimaryStorageBytes);

public sealed record RecordsSection(
    WriteStats Writes, StorageEntry PrimaryStorageBytes, StorageEntry SecondaryStorageBytes, StorageEntry AuditStorageBytes);

public sealed record ReadAccessSection(StorageEntry StorageBytes, long Rows, long RowCredits);

public sealed record IdentitySurface(WriteStats Writes, StorageEntry PrimaryStorageBytes);

/// <summary>0.31 <c>orgs</c>/<c>clients</c> (the entities of those namespaces) beside the 0.40 <c>entities</c> (all of them).</summary>
public sealed record IdentitySection(IdentitySurface Users, IdentitySurface Orgs, IdentitySurface Clients, IdentitySurface Entities);

public sealed record InferenceCallStats(long Calls, long InputTokens, long OutputTokens);

public sealed record InferenceEndpoints(InferenceCallStats Chat, InferenceCallStats Rag, InferenceCallStats Ask);

public sealed record InferenceSection(long BalanceCents, InferenceEndpoints Endpoints, InferenceCallStats Totals);

public sealed record TenantInferenceSection(InferenceEndpoints Endpoints, InferenceCallStats Totals);

public sealed record ReadCalls(
    long Used, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? FreeAllowance, long Overage, long OverageCredits,
    long OverageCreditsMilli);

public sealed record DataOut(
    long Bytes, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? FreeBytes, long OverageBytes, long OverageCredits,
    long OverageCreditsMilli);

public sealed record ReadsSection(ReadCalls Calls, DataOut DataOut);

public sealed record CreditBreakdown
{
    public long SearchQueries { get; init; }
    public long SearchQueriesMilli { get; init; }
    public long SearchIngest { get; init; }
    public long SearchIngestMilli { get; init; }
    public long Documents { get; init; }
    public long DocumentsMilli { get; init; }
    public long Records { get; init; }
    public long RecordsMilli { get; init; }
    public long Identity { get; init; }
    public long IdentityMilli { get; init; }
    public long StorageEstimate { get; init; }
    public long StorageEstimateMilli { get; init; }
    public long Reads { get; init; }
    public long ReadsMilli { get; init; }
    public long DataOut { get; init; }
    public long DataOutMilli { get; init; }

    /// <summary>Not in the spec: the inference platform fee (per chat/RAG/ask call) drawn from the allowance.</summary>
    public long Inference { get; init; }
    public long InferenceMilli { get; init; }
}

public sealed record Credits(
    long Used,
    long UsedMilli,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Limit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Remaining,
    CreditBreakdown Breakdown);

public sealed record TenantCredits(long Used, long UsedMilli);

public sealed record TenantDetail(
    string? Id, TenantCredits Credits, SearchSection Search, DocumentsSection Documents, RecordsSection Records, TenantInferenceSection Inference);

/// <summary>An environment the caller may not see (a confined caller's other one) is null (API-DELTA §9).</summary>
public sealed record Tenants(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] TenantDetail? Live,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] TenantDetail? Test);

public sealed record ContextDetail(
    string ContextId, string TenantId, string TenantMode, TenantCredits Credits, SearchSection Search, DocumentsSection Documents,
    RecordsSection Records, TenantInferenceSection Inference);

public sealed record UsageReportResponse(
    string Period,
    Credits Credits,
    SearchSection Search,
    DocumentsSection Documents,
    RecordsSection Records,
    ReadAccessSection ReadAccess,
    IdentitySection Identity,
    InferenceSection Inference,
    ReadsSection Reads,
    Tenants Tenants,
    IReadOnlyList<ContextDetail> Contexts);
