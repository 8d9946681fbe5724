using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Erasure;
using Vectros.Grains.Outbox;
using Vectros.Grains.Tokens;

namespace Vectros.Grains.Erasure;

/// <summary>
/// Runs an erasure request from the durable outbox (kind <c>erasure.request</c>): accepted → processing → completed
/// (or failed). The plan is decided once and stored before anything is deleted, every deletion is idempotent and each
/// context is its own transaction, so a crash part-way simply reruns to the same certificate. A dry run plans, certifies
/// and deletes nothing.
/// </summary>
internal sealed partial class ErasureHandler(
    NpgsqlDataSource dataSource,
    ErasureEraser eraser,
    Teardown.ContextActivations activations,
    SigningKeyRing ring,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<ErasureHandler> logger) : IOutboxHandler
{
    /// <summary>Attempts after which the request is reported failed instead of retried again.</summary>
    internal const int MaxAttempts = 5;

    private readonly ErasureStore _store = new(dataSource);
    private readonly ErasureSubjects _subjects = new(dataSource);
    private readonly ErasurePlanner _planner = new(dataSource);

    string IOutboxHandler.Kind => ErasureStore.OutboxKind;

    async Task IOutboxHandler.HandleAsync(OutboxMessage message, Func<Task> renewLease, CancellationToken cancellationToken)
    {
        var requestId = JsonDocument.Parse(message.Payload).RootElement.GetProperty("requestId").GetString()!;
        var row = await _store.LoadAsync(message.TenantId, requestId);
        if (row is null || row.View.Status is "completed" or "failed")
        {
            return;
        }

        try
        {
            await RunAsync(message.TenantId, row, renewLease, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && message.Attempts >= MaxAttempts)
        {
            // The exception type only: messages may carry data.
            LogFailed(logger, requestId, message.Attempts, ex.GetType().Name);
            await _store.FailAsync(message.TenantId, requestId, "erasure_error");
        }
    }

    private async Task RunAsync(string tenantId, ErasureRow row, Func<Task> renewLease, CancellationToken cancellationToken)
    {
        var requestId = row.View.RequestId;
        var startedAt = row.StartedAt ?? time.GetUtcNow();
        var plan = row.PlanJson is { } stored
            ? JsonSerializer.Deserialize<ErasurePlan>(stored)!
            : await PlanAsync(tenantId, row);
        await _store.StartAsync(tenantId, requestId, startedAt, JsonSerializer.Serialize(plan));
        await renewLease();

        if (!row.View.DryRun)
        {
            foreach (var context in plan.Contexts)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await eraser.EraseContextAsync(tenantId, context, row.AuditDisposition, requestId, startedAt);
                await renewLease();
            }

            if (plan.Identity is { } identity)
            {
                var profileContexts = identity.Kind == ErasureSubject.UserIdentity
                    ? await new Users.UserStore(dataSource).ProfileContextsAsync(tenantId, identity.Id)
                    : [];
                await eraser.EraseIdentityAsync(tenantId, identity, row.AuditDisposition, requestId, startedAt);

                // The user's access profiles went with it (UserWriteBatch.Delete); their grains may still hold them.
                var principal = PrincipalIds.ForUser(identity.Id.ToString());
                await Task.WhenAll(profileContexts.Select(c =>
                    grains.GetGrain<IAccessProfileGrain>(AccessKeys.Of(tenantId, c, principal)).InvalidateAsync()));
            }

            var dropped = await activations.DeactivateAsync(ErasureActivations.KeysOf(tenantId, plan), cancellationToken);
            LogErased(logger, requestId, plan.Contexts.Count, dropped);
        }

        var certificate = ErasureCertificate.From(requestId, plan, row.View.DryRun, row.AuditDisposition, startedAt, time.GetUtcNow());
        await _store.CompleteAsync(tenantId, requestId, time.GetUtcNow(), await certificate.SignAsync(ring));
    }

    private async Task<ErasurePlan> PlanAsync(string tenantId, ErasureRow row)
    {
        var subject = row.Subject;
        var contexts = row.ContextScope.Count > 0 ? row.ContextScope : await _subjects.ContextsWithDataAsync(tenantId, subject);
        if (contexts.Count == 0)
        {
            // No data anywhere: the context the request was made in is swept (finding nothing), and the identity is counted there.
            contexts = [row.ResolvedContext];
        }

        var plans = new List<ContextPlan>();
        foreach (var context in contexts)
        {
            plans.Add(await _planner.PlanContextAsync(tenantId, context, subject));
        }

        return new ErasurePlan(subject.SubjectType, subject.SubjectId, subject.UserId, subject.Scope, plans,
            await _planner.PlanIdentityAsync(tenantId, subject));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Erasure {RequestId} erased {Contexts} contexts; {Dropped} cached grains dropped")]
    private static partial void LogErased(ILogger logger, string requestId, int contexts, int dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Erasure {RequestId} failed for good after {Attempts} attempts ({ErrorType})")]
    private static partial void LogFailed(ILogger logger, string requestId, int attempts, string errorType);
}
