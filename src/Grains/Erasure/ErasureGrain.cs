using Npgsql;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Erasure;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Outbox;

namespace Vectros.Grains.Erasure;

/// <summary>
/// A tenant's erasure requests (spec createErasureRequest / getErasureRequest), keyed by tenant id. Stateless: the
/// request lives in <c>erasure_requests</c> and the work in the outbox, so any activation on any silo serves it.
/// </summary>
[StatelessWorker]
public sealed class ErasureGrain(NpgsqlDataSource dataSource, OutboxSignal outbox, TimeProvider time) : Grain, IErasureGrain
{
    private readonly ErasureStore _store = new(dataSource);
    private readonly ErasureSubjects _subjects = new(dataSource);

    async Task<ErasureRequestView> IErasureGrain.SubmitAsync(CallerContext caller, ErasureSubmission submission)
    {
        CheckCaller(caller);

        // Validate everything before writing anything: contexts first (a 400 names the item), then the subject (404).
        await _subjects.RequireContextsAsync(caller.TenantId, submission.ContextScope);
        var subject = await _subjects.ResolveAsync(caller.TenantId, submission);
        var requestId = ErasureRules.NewId();
        await _store.InsertAsync(caller.TenantId, requestId, subject, submission, caller.ContextId, caller.CredentialId, time.GetUtcNow());
        outbox.Wake();
        return (await _store.LoadAsync(caller.TenantId, requestId))!.View;
    }

    async Task<ErasureRequestView?> IErasureGrain.GetAsync(CallerContext caller, string requestId)
    {
        CheckCaller(caller);
        return (await _store.LoadAsync(caller.TenantId, requestId))?.View;
    }

    private void CheckCaller(CallerContext caller)
    {
        // The spec: root keys only. The front end checks too; this is the grain's own guard.
        if (!caller.IsRoot)
        {
            throw new ForbiddenException("This operation requires a root API key (sk_live_ or sk_test_).");
        }

        if (!string.Equals(caller.TenantId, this.GetPrimaryKeyString(), StringComparison.Ordinal))
        {
            throw new NotFoundException("No erasure request exists with this id.");
        }
    }
}
