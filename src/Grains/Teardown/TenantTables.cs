namespace Vectros.Grains.Teardown;

/// <summary>
/// Every table that holds a tenant's rows (a <c>tenant_id</c> column), in the order tenant teardown empties them.
/// A test compares this with <c>information_schema</c>, so a table added without being listed here fails the build's tests.
/// </summary>
public static class TenantTables
{
    /// <summary>Emptied batch by batch after the contexts: the context tables again (rows of contexts already gone), then the tenant-wide ones, children before parents.</summary>
    public static readonly IReadOnlyList<string> Purged =
    [
        .. TablePurger.ContextTables,
        "user_lookups", "users", "auth_issuer_bindings", "auth_issuers", "usage_counters", "inference_ledger",
        "read_access_log", "api_call_log", "outbox", "erasure_requests", "export_jobs", "tenant_keys", "app_contexts",
    ];

    /// <summary>
    /// Removed by <c>ITenantWebhooks.DeleteAllAsync</c>, after the final <c>tenant.deleted</c> delivery: the generic
    /// pass runs before it and must not take the registrations that delivery goes to.
    /// </summary>
    public static readonly IReadOnlyList<string> RemovedWithWebhooks =
        ["webhook_attempts", "webhook_notices", "webhook_deliveries", "webhook_registrations"];

    /// <summary>Deleted last, once the final <c>tenant.deleted</c> delivery has gone out: the credentials and the tenant itself.</summary>
    public static readonly IReadOnlyList<string> Final = ["root_keys", "tenants"];

    /// <summary>Kept: the teardown's own record, which reports <c>deleted</c> after everything else is gone.</summary>
    public static readonly IReadOnlyList<string> Kept = ["tenant_teardowns"];
}
