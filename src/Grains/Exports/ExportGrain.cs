using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Exports;
using Vectros.Grains.Blobs;
using Vectros.Grains.Outbox;

namespace Vectros.Grains.Exports;

/// <summary>
/// A tenant's export jobs, as a stateless worker keyed <c>exports#tenant</c>: every call is one statement or one
/// transaction, so activations on any silo agree. The work itself runs in <see cref="ExportJobHandler"/>.
/// </summary>
[StatelessWorker]
public sealed class ExportGrain(
    NpgsqlDataSource dataSource, IBlobStore blobs, OutboxSignal signal, TimeProvider time) : Grain, IExportGrain
{
    private const int MaxContexts = 100;
    private const int MaxIdLength = 256;

    private readonly ExportStore _store = new(dataSource);

    async Task<ExportJobView> IExportGrain.CreateAsync(CallerContext caller, ExportCommand command)
    {
        var tenantId = Tenant(caller);
        if (!caller.IsRoot)
        {
            throw new ForbiddenException("Exports require a root API key.");
        }

        var plan = await ValidateAsync(tenantId, command);
        var exportId = ExportKeys.IdPrefix + Guid.NewGuid().ToString("N");
        var at = Records.RecordViews.Truncate(time.GetUtcNow());
        await _store.InsertAsync(tenantId, exportId, command.Scope, plan.SubjectType, plan.SubjectId, plan, at);
        signal.Wake();
        // The view as written, not re-read: a worker may already have picked the job up, but the answer to the
        // submission is "accepted" (spec L7668).
        return new ExportJobView(exportId, ExportJobView.Accepted, command.Scope, plan.SubjectType, plan.SubjectId, at, null, null, null, null);
    }

    async Task<ExportJobView> IExportGrain.GetAsync(CallerContext caller, string exportId)
    {
        var tenantId = Tenant(caller);
        if (!caller.IsRoot)
        {
            throw new ForbiddenException("Exports require a root API key.");
        }

        return await LiveJobAsync(tenantId, exportId) ?? throw new NotFoundException("No export job exists with this id.");
    }

    async Task<byte[]?> IExportGrain.ReadAsync(string exportId, long offset, int count)
    {
        var tenantId = TenantOfKey();
        if (await LiveJobAsync(tenantId, exportId) is not { Status: ExportJobView.Completed })
        {
            return null;
        }

        await using var stream = await blobs.OpenReadAsync(tenantId, ExportKeys.BlobContext, exportId, offset, CancellationToken.None);
        if (stream is null)
        {
            return null;
        }

        var buffer = new byte[Math.Clamp(count, 1, 4 << 20)];
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled))) > 0)
        {
            filled += read;
        }

        return filled == buffer.Length ? buffer : buffer[..filled];
    }

    /// <summary>The job, unless it is unknown or past its retention (the purge may not have run yet: it is gone all the same).</summary>
    private async Task<ExportJobView?> LiveJobAsync(string tenantId, string exportId)
    {
        if (!ExportKeys.IsValidId(exportId) || await _store.LoadAsync(tenantId, exportId) is not { } job)
        {
            return null;
        }

        return job.View.RetainUntil is { } until && until <= time.GetUtcNow() ? null : job.View;
    }

    /// <summary>Every rule before anything is written; each failure is a 400 naming its field.</summary>
    private async Task<ExportPlan> ValidateAsync(string tenantId, ExportCommand command)
    {
        if (command.Format != "ndjson")
        {
            throw new ValidationException("format", "format must be 'ndjson' (the only format supported).");
        }

        var contexts = await ContextsAsync(tenantId, command.ContextScope);
        switch (command.Scope)
        {
            case "tenant":
                foreach (var (field, value) in new[] { ("subjectType", command.SubjectType), ("subjectId", command.SubjectId), ("externalId", command.ExternalId) })
                {
                    if (value is not null)
                    {
                        throw new ValidationException(field, $"{field} applies only when scope is 'subject'.");
                    }
                }

                return new ExportPlan(contexts, null, null, null, null, null, command.IncludeAuditHistory);
            case "subject":
                return await SubjectPlanAsync(tenantId, command, contexts);
            default:
                throw new ValidationException("scope", "scope must be 'tenant' or 'subject'.");
        }
    }

    private async Task<List<string>> ContextsAsync(string tenantId, IReadOnlyList<string> requested)
    {
        if (requested.Count > MaxContexts)
        {
            throw new ValidationException("contextScope", $"contextScope names at most {MaxContexts} contexts.");
        }

        for (var i = 0; i < requested.Count; i++)
        {
            if (!AppContextKeys.IsValidContextId(requested[i]))
            {
                throw new ValidationException($"contextScope[{i}]", "contextScope items must be context ids of this account.");
            }
        }

        var distinct = requested.Distinct(StringComparer.Ordinal).ToList();
        var live = await _store.ActiveContextsAsync(tenantId, distinct.Count == 0 ? null : distinct);
        var missing = distinct.FindIndex(c => !live.Contains(c, StringComparer.Ordinal));
        if (missing >= 0)
        {
            throw new ValidationException($"contextScope[{requested.ToList().IndexOf(distinct[missing])}]", "contextScope names a context this account does not have.");
        }

        return live;
    }

    private async Task<ExportPlan> SubjectPlanAsync(string tenantId, ExportCommand command, List<string> contexts)
    {
        var type = command.SubjectType ?? throw new ValidationException("subjectType", "subjectType is required when scope is 'subject' ('user' or a namespace name).");
        if ((command.SubjectId is null) == (command.ExternalId is null))
        {
            throw new ValidationException(command.SubjectId is null ? "subjectId" : "externalId", "Give exactly one of subjectId or externalId.");
        }

        var field = command.SubjectId is null ? "externalId" : "subjectId";
        var given = command.SubjectId ?? command.ExternalId!;
        if (given.Length is 0 or > MaxIdLength)
        {
            throw new ValidationException(field, $"{field} must be 1-{MaxIdLength} characters.");
        }

        Guid? id = null;
        if (command.SubjectId is not null && Guid.TryParse(command.SubjectId, out var parsed))
        {
            id = parsed;
        }

        if (type == "user")
        {
            if (command.SubjectId is not null && id is null)
            {
                throw new ValidationException("subjectId", "subjectId must be a user id (a UUID).");
            }

            var user = await _store.FindUserAsync(tenantId, id, command.ExternalId)
                ?? throw new ValidationException(field, $"{field} does not name a user of this account.");
            return new ExportPlan(contexts, type, user.ToString("D"), user, null, null, command.IncludeAuditHistory);
        }

        if (!OwnershipScopes.IsValidNamespace(type) || await _store.NamespaceEntityBackedAsync(tenantId, type) is not { } entityBacked)
        {
            throw new ValidationException("subjectType", "subjectType must be 'user' or the name of a namespace of this account.");
        }

        if (!entityBacked)
        {
            // A namespace without entities has no platform ids: its members are the values rows carry.
            if (command.ExternalId is not null)
            {
                throw new ValidationException("externalId", $"Namespace '{type}' has no entities to hold an externalId; give subjectId (the scope value).");
            }

            var scope = OwnershipScopes.ReadFilter($"{type}:{command.SubjectId}", "subjectId");
            return new ExportPlan(contexts, type, command.SubjectId, null, scope, type, command.IncludeAuditHistory);
        }

        if (command.SubjectId is not null && id is null)
        {
            throw new ValidationException("subjectId", $"subjectId must be an entity id (a UUID) of namespace '{type}'.");
        }

        var entity = await _store.FindEntityAsync(tenantId, type, id, command.ExternalId)
            ?? throw new ValidationException(field, $"{field} does not name an entity of namespace '{type}'.");
        return new ExportPlan(contexts, type, entity.ToString("D"), null, $"{type}:{entity:D}", type, command.IncludeAuditHistory);
    }

    private string Tenant(CallerContext caller)
    {
        var tenantId = TenantOfKey();
        return string.Equals(tenantId, caller.TenantId, StringComparison.Ordinal) ? tenantId : throw new NotFoundException("Not found.");
    }

    private string TenantOfKey() => this.GetPrimaryKeyString()["exports#".Length..];
}
