using System.Text.Json.Nodes;
using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.History;
using Vectros.Grains.Abstractions.Identity;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.History;
using Vectros.Grains.Metering;
using Vectros.Grains.Records;
using Vectros.Grains.Security;

namespace Vectros.Grains.Identity;

/// <summary>
/// One identity entity, keyed <c>tenant#home#id</c>. The row is loaded lazily and cached in the activation; every
/// write is one batch guarded by the version this activation last saw, so a second activation (possible for a
/// moment in cluster mode) fails instead of overwriting. History is always kept for identity entities (spec
/// L3227), with sensitive values stripped.
/// </summary>
public sealed class EntityGrain(NpgsqlDataSource dataSource, TenantKeyring keyring, IUsageMeter meter, TimeProvider time) : Grain, IEntityGrain
{
    private readonly EntityStore _store = new(dataSource);
    private string _tenantId = "";
    private string _home = "";
    private Guid _id;
    private bool _loaded;
    private EntityRow? _row;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // tenant#home#id, where home may be '' (a tenant-wide namespace).
        var parts = this.GetPrimaryKeyString().Split('#');
        if (parts.Length != 3 || !Guid.TryParse(parts[2], out _id))
        {
            throw new ArgumentException($"'{this.GetPrimaryKeyString()}' is not an entity key (tenant#home#id).");
        }

        (_tenantId, _home) = (parts[0], parts[1]);
        return Task.CompletedTask;
    }

    async Task<EntityCreateResult> IEntityGrain.CreateAsync(CallerContext caller, EntityNamespace ns, EntityWrite write, bool upsert)
    {
        // A fresh id from the front end: no read first, the primary key refuses a second row.
        CheckCaller(caller, ns);
        if (_row is not null)
        {
            throw new ConflictException("CONFLICT", "An entity with this id already exists.");
        }

        var externalId = write.ExternalId ?? throw new ValidationException("externalId", "externalId is required.");
        var schemaId = write.SchemaId ?? ns.Registration.DefaultSchemaId;
        var bound = schemaId is { } id ? await EntitySchemas.ByIdAsync(GrainFactory, caller, ns, id) : ((SchemaView, string)?)null;
        var scopes = EntityRules.Parents(write.Scopes ?? [], ns.Namespace, _id);
        caller.Exempting(EntityAccess.OwnDimension(ns.Namespace))
            .DemandPlacement(EntityAccess.Scope(caller, "c", ns.Namespace), EntityAccess.Ownership(null, ns.Namespace, _id, scopes));
        var prepared = await PrepareAsync(bound?.Item1, write.Payload ?? []);
        var now = Now();
        var row = new EntityRow
        {
            Id = _id,
            Namespace = ns.Namespace,
            ExternalId = externalId,
            Name = write.Name,
            Status = write.Status ?? "ACTIVE",
            StoredPayload = prepared.StoredJson,
            SchemaId = bound?.Item1.Id,
            SchemaVersion = bound?.Item1.SchemaVersion,
            SchemaContextId = bound?.Item2,
            TypeName = bound?.Item1.TypeName,
            Scopes = scopes,
            CreatedBy = caller.CredentialId,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };

        var batch = new EntityWriteBatch(_tenantId, _home, _id);
        batch.RequireNamespace(ns.Namespace);
        if (scopes.Count > 0)
        {
            batch.RequireParents(scopes);
        }

        batch.Insert(row);
        batch.ReplaceLookups(ns.Namespace, row.TypeName, prepared.Lookups, hadLookups: false);
        batch.AppendVersion(Entry(caller, ns, "CREATE", null, null,
            VersionDiff.Compute(null, EntityViews.DiffShape(row, prepared.Stripped)), "Entity created", now));
        try
        {
            await batch.ExecuteAsync(dataSource);
        }
        catch (Exception ex) when (ex is ExternalIdTakenException || (ex is ConflictException { ErrorCode: "UNIQUE_VIOLATION" }))
        {
            // Idempotent create (§8.3): the entity holding this externalId answers, unchanged or upserted. A repeated
            // create can trip over its own unique lookup values first; when the externalId is taken, it is this case too.
            var existing = await _store.FindByExternalIdAsync(_tenantId, _home, ns.Namespace, externalId);
            if (existing is null)
            {
                throw ex is ConflictException ? ex : new ConflictException("CONFLICT", "The entity holding this externalId changed concurrently; retry.");
            }

            return await GrainFactory.GetGrain<IEntityGrain>(EntityRules.Key(_tenantId, _home, existing.Value))
                .MatchExternalIdAsync(caller, ns, write, upsert);
        }
        catch (VersionRaceException)
        {
            _loaded = false;
            throw new ConflictException("CONFLICT", "An entity with this id already exists.");
        }

        Apply(row);
        // Identity writes are counted (and charged) but never refused: a full allowance must not lock identities out.
        await meter.CountAsync(_tenantId, caller.ContextId, WriteCharges.EntityWrite(ns.Namespace));
        return new EntityCreateResult(await ViewForAsync(caller, bound?.Item1), Created: true);
    }

    async Task<EntityCreateResult> IEntityGrain.MatchExternalIdAsync(CallerContext caller, EntityNamespace ns, EntityWrite write, bool upsert)
    {
        var row = await RequireAsync(caller, ns);
        if (!string.Equals(row.ExternalId, write.ExternalId, StringComparison.Ordinal))
        {
            throw new ConflictException("CONFLICT", "The entity holding this externalId changed concurrently; retry the request.");
        }

        // Being handed the existing entity is a read of it (CL 0.36): without the read grant the collision is a plain 400.
        if (!EntityAccess.Permits(caller, "r", row))
        {
            throw new ValidationException("externalId", $"externalId is already in use in namespace '{ns.Namespace}'.");
        }

        if (upsert && !EntityAccess.Permits(caller, "u", row))
        {
            throw new ForbiddenException($"Upserting this entity needs 'entities:u:{ns.Namespace}' over its ownership.");
        }

        if (!upsert)
        {
            return new EntityCreateResult(await ViewForAsync(caller, await EntitySchemas.OfAsync(GrainFactory, _tenantId, row)), Created: false);
        }

        // Upsert overwrites the mutable fields; externalId, namespace and home never change.
        return new EntityCreateResult(await WriteUpdateAsync(caller, ns, write, "Entity upserted"), Created: false);
    }

    async Task<EntityView> IEntityGrain.GetAsync(CallerContext caller, EntityNamespace ns)
    {
        var row = await RequireAsync(caller, ns, "r");
        return await ViewForAsync(caller, await EntitySchemas.OfAsync(GrainFactory, _tenantId, row));
    }

    async Task<EntityView> IEntityGrain.UpdateAsync(CallerContext caller, EntityNamespace ns, EntityWrite write)
    {
        var row = await RequireAsync(caller, ns, "u");
        if (write.ExternalId is not null && !string.Equals(write.ExternalId, row.ExternalId, StringComparison.Ordinal))
        {
            throw new ValidationException("externalId", "externalId is immutable after create.");
        }

        return await WriteUpdateAsync(caller, ns, write, "Entity updated");
    }

    async Task IEntityGrain.DeleteAsync(CallerContext caller, EntityNamespace ns)
    {
        var row = await RequireAsync(caller, ns, "d");
        var stripped = EntityViews.Stripped(row, SensitiveFields.Of(await EntitySchemas.OfAsync(GrainFactory, _tenantId, row)));
        var batch = new EntityWriteBatch(_tenantId, _home, _id);
        batch.Delete(row.Version);
        batch.AppendVersion(Entry(caller, ns, "DELETE", row.Version, EntityViews.Snapshot(row, stripped),
            VersionDiff.Compute(EntityViews.DiffShape(row, stripped), null), "Entity deleted", Now()));
        await ExecuteAsync(batch);
        _row = null;
    }

    async Task<VersionPage> IEntityGrain.GetVersionsAsync(CallerContext caller, EntityNamespace ns, string? startFrom, int limit)
    {
        CheckCaller(caller, ns);
        var kind = NamespaceRules.EntityKind(ns.Namespace);
        var id = _id.ToString();

        // A live entity outside the caller's data scope has no history it can see; a deleted one is judged by its id alone.
        await EnsureLoadedAsync();
        if (_row is { } live && live.Namespace == ns.Namespace && !EntityAccess.Permits(caller, "r", live))
        {
            throw NotFound();
        }

        // A deleted entity keeps its history (the DELETE row is part of it); an id of another namespace has none here.
        if (!await VersionHistory.ExistsAsync(dataSource, _tenantId, _home, kind, id))
        {
            throw NotFound();
        }

        return await VersionHistory.ListAsync(dataSource, _tenantId, _home, kind, id, startFrom, limit);
    }

    /// <summary>
    /// The shared update path (PUT, upsert): given fields replace, omitted ones stay. A new schemaId re-validates the
    /// payload (sent or stored) against it. A write that changes nothing is a no-op: no version bump, no history row.
    /// </summary>
    private async Task<EntityView> WriteUpdateAsync(CallerContext caller, EntityNamespace ns, EntityWrite write, string reason)
    {
        var before = _row!;
        var currentSchema = await EntitySchemas.OfAsync(GrainFactory, _tenantId, before);
        var rebind = write.SchemaId is { } newId && newId != before.SchemaId;
        var (schema, schemaContext) = rebind
            ? await EntitySchemas.ByIdAsync(GrainFactory, caller, ns, write.SchemaId!.Value)
            : (currentSchema, before.SchemaContextId);
        if (!rebind && before.TypeName is not null && schema is null && write.Payload is not null)
        {
            throw new ValidationException("schemaId", "The entity's schema no longer exists; bind the entity to another schemaId to change its payload.");
        }

        var sensitive = SensitiveFields.Of(currentSchema);
        var beforePlain = EntityViews.Plaintext(before, sensitive, sensitive.Any ? await keyring.GetAsync(_tenantId) : null, _tenantId);
        var plaintext = write.Payload ?? (rebind ? beforePlain : null);
        var payloadChanged = rebind || (plaintext is not null && !JsonNode.DeepEquals(plaintext, beforePlain));
        var scopes = write.Scopes is null ? before.Scopes : EntityRules.Parents(write.Scopes, ns.Namespace, _id);
        var scopesChanged = !scopes.SequenceEqual(before.Scopes, StringComparer.Ordinal);
        caller.DemandReplacement(EntityAccess.Scope(caller, "u", ns.Namespace), EntityAccess.Ownership(before),
            EntityAccess.Ownership(before.UserId, ns.Namespace, _id, scopes));
        var name = write.Name ?? before.Name;
        var status = write.Status ?? before.Status;
        if (!payloadChanged && !scopesChanged && name == before.Name && status == before.Status)
        {
            return await ViewForAsync(caller, currentSchema);
        }

        var prepared = payloadChanged ? await PrepareAsync(schema, plaintext!) : null;
        var now = Now();
        var after = before with
        {
            Name = name,
            Status = status,
            Scopes = scopes,
            StoredPayload = prepared?.StoredJson ?? before.StoredPayload,
            SchemaId = payloadChanged ? schema?.Id : before.SchemaId,
            SchemaVersion = payloadChanged ? schema?.SchemaVersion : before.SchemaVersion,
            SchemaContextId = payloadChanged && schema is not null ? schemaContext : before.SchemaContextId,
            TypeName = payloadChanged ? schema?.TypeName : before.TypeName,
            UpdatedAt = now,
            Version = before.Version + 1,
        };

        var batch = new EntityWriteBatch(_tenantId, _home, _id);
        if (scopesChanged && scopes.Count > 0)
        {
            batch.RequireParents(scopes);
        }

        batch.Update(after, before.Version);
        if (prepared is not null)
        {
            batch.ReplaceLookups(ns.Namespace, after.TypeName, prepared.Lookups, hadLookups: before.TypeName is not null);
        }

        var strippedBefore = EntityViews.Stripped(before, sensitive);
        var strippedAfter = prepared?.Stripped ?? strippedBefore;
        batch.AppendVersion(Entry(caller, ns, "UPDATE", before.Version, EntityViews.Snapshot(before, strippedBefore),
            VersionDiff.Compute(EntityViews.DiffShape(before, strippedBefore), EntityViews.DiffShape(after, strippedAfter)), reason, now));
        await ExecuteAsync(batch);
        Apply(after);
        await meter.CountAsync(_tenantId, caller.ContextId, WriteCharges.EntityWrite(ns.Namespace));
        return await ViewForAsync(caller, schema);
    }

    /// <summary>Validates a plaintext payload and turns it into what is stored and indexed (sensitive values encrypted).</summary>
    private Task<PreparedPayload> PrepareAsync(SchemaView? schema, JsonObject plaintext) =>
        PayloadPreparation.PrepareAsync(schema, plaintext, keyring, (_tenantId, "", "entity", _id));

    private async Task ExecuteAsync(EntityWriteBatch batch)
    {
        try
        {
            await batch.ExecuteAsync(dataSource);
        }
        catch (VersionRaceException)
        {
            // Another activation wrote the row: forget the cached copy so the next call reads the truth.
            _loaded = false;
            _row = null;
            throw new ConflictException("VERSION_CONFLICT", "The entity was changed concurrently; re-read it and retry.");
        }
        catch (ExternalIdTakenException)
        {
            throw new ConflictException("CONFLICT", "The entity was changed concurrently; retry the request.");
        }
    }

    /// <summary>Revealed for a caller holding <c>entities:s:&lt;ns&gt;</c>, else masked.</summary>
    private async Task<EntityView> ViewForAsync(CallerContext caller, SchemaView? schema)
    {
        var row = _row!;
        var sensitive = SensitiveFields.Of(schema);
        return sensitive.Any && EntityAccess.Permits(caller, "s", row)
            ? EntityViews.Revealed(row, sensitive, await keyring.GetAsync(_tenantId), _tenantId)
            : EntityViews.Masked(row, sensitive);
    }

    /// <summary>The row, when it exists in this namespace; otherwise the same 404 as a missing id.</summary>
    private async Task<EntityRow> RequireAsync(CallerContext caller, EntityNamespace ns)
    {
        CheckCaller(caller, ns);
        await EnsureLoadedAsync();
        return _row is { } row && row.Namespace == ns.Namespace ? row : throw NotFound();
    }

    /// <summary>
    /// The row, when the caller may read it and one clause granting <paramref name="verb"/> matches it; an entity
    /// outside the data scope, for reading or writing, is the same 404 as a missing one (API-DELTA §1).
    /// </summary>
    private async Task<EntityRow> RequireAsync(CallerContext caller, EntityNamespace ns, string verb)
    {
        var row = await RequireAsync(caller, ns);
        return EntityAccess.Permits(caller, "r", row) && EntityAccess.Permits(caller, verb, row) ? row : throw NotFound();
    }

    private async Task EnsureLoadedAsync()
    {
        if (!_loaded)
        {
            _row = await _store.LoadAsync(_tenantId, _home, _id);
            _loaded = true;
        }
    }

    private void Apply(EntityRow row)
    {
        _row = row;
        _loaded = true;
    }

    private void CheckCaller(CallerContext caller, EntityNamespace ns)
    {
        // Defence in depth: the front end builds the key from the caller's tenant and the resolved home.
        if (!string.Equals(caller.TenantId, _tenantId, StringComparison.Ordinal) || !string.Equals(ns.Home, _home, StringComparison.Ordinal))
        {
            throw NotFound();
        }
    }

    private VersionEntry Entry(
        CallerContext caller, EntityNamespace ns, string change, long? previousVersion, JsonObject? previous, JsonObject diff, string reason, DateTimeOffset at) =>
        new(_tenantId, _home, NamespaceRules.EntityKind(ns.Namespace), _id.ToString(), change, previousVersion, previous, diff, reason, caller.CredentialId, at);

    private DateTimeOffset Now() => RecordViews.Truncate(time.GetUtcNow());

    private static NotFoundException NotFound() => new("No entity exists with this id.");
}
