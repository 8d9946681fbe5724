using System.Text.Json.Nodes;
using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.History;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.History;
using Vectros.Grains.Metering;
using Vectros.Grains.Outbox;
using Vectros.Grains.Schemas;
using Vectros.Grains.Security;

namespace Vectros.Grains.Records;

/// <summary>
/// One record, keyed <c>tenant#context#recordId</c>. The row is loaded lazily (a create on a fresh id costs a
/// single round trip: the write batch) and cached in the activation, together with the masked view most
/// readers get. Every write goes to PostgreSQL as one batch guarded by the version this activation last saw,
/// so a second activation (possible for a moment in cluster mode) fails instead of overwriting.
/// </summary>
public sealed class RecordGrain(NpgsqlDataSource dataSource, OutboxSignal outbox, TenantKeyring keyring, IUsageMeter meter, TimeProvider time)
    : Grain, IRecordGrain
{
    private static readonly IReadOnlySet<string> _notDiffed = new HashSet<string>(StringComparer.Ordinal);

    private readonly RecordStore _store = new(dataSource);
    private string _tenantId = "";
    private string _contextId = "";
    private Guid _id;
    private bool _loaded;
    private RecordRow? _row;
    private (int SchemaVersion, RecordView View)? _masked;
    private bool _tombstoneLoaded;
    private Tombstone? _tombstone;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var parts = this.GetPrimaryKeyString().Split('#');
        if (parts.Length != 3 || !Guid.TryParse(parts[2], out _id))
        {
            throw new ArgumentException($"'{this.GetPrimaryKeyString()}' is not a record key (tenant#context#recordId).");
        }

        (_tenantId, _contextId) = (parts[0], parts[1]);
        return Task.CompletedTask;
    }

    async Task<RecordCreateResult> IRecordGrain.CreateAsync(CallerContext caller, RecordWrite write, bool upsert, CancellationToken cancellationToken)
    {
        CheckCaller(caller);
        if (_row is not null)
        {
            throw new ConflictException("CONFLICT", "A record with this id already exists.");
        }

        // A scoped caller's identity is the default stamp (API-DELTA §2, §8.4): omitted owner fields take it.
        var declared = write.Scopes is null && write.OrgId is null && write.ClientId is null ? null : write.Scopes ?? [];
        var scopes = OwnershipScopes.Resolve([], caller.StampScopes(declared), write.OrgId, write.ClientId);
        var userId = caller.StampUser(write.UserId);
        var schema = await ResolveSchemaAsync(caller, write.TypeName, write.SchemaId, userId, scopes);
        var type = schema.TypeName;
        if (caller.PlaceableStamp($"records:c:{type}", write.UserId, userId, scopes) is null && userId is not null)
        {
            // The owner the credential would have stamped is not one it may place: a tenant-level record instead, under
            // the schema that applies to one.
            userId = null;
            schema = await ResolveSchemaAsync(caller, write.TypeName, write.SchemaId, userId, scopes);
            type = schema.TypeName;
        }

        Demand(caller, "c", type);
        if (upsert)
        {
            Demand(caller, "u", type);
        }

        caller.DemandPlacement($"records:c:{type}", CallerPlacement.Ownership(userId, scopes));

        if (!schema.Definition.Active)
        {
            throw new ValidationException("typeName", $"The schema of type '{type}' is inactive and accepts no new records.");
        }

        var prepared = await PrepareAsync(schema, write.Payload ?? []);
        var now = Now();
        var indexMode = write.IndexMode ?? schema.Definition.IndexMode ?? "NONE";
        var row = new RecordRow
        {
            Id = _id,
            TypeName = type,
            SchemaId = schema.Id,
            SchemaVersion = schema.SchemaVersion,
            StoredPayload = prepared.StoredJson,
            Status = write.Status ?? "ACTIVE",
            FolderId = write.FolderId,
            UserId = userId,
            Scopes = scopes,
            ExpiresAt = ExpiryFor(schema, null, write.ExpiresAt, now),
            ExternalId = write.ExternalId,
            IndexMode = indexMode,
            IndexStatus = IndexStatusFor(indexMode),
            CreatedBy = caller.CredentialId,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };

        var batch = new RecordWriteBatch(_tenantId, _contextId, _id);
        if (row.FolderId is { } folderId)
        {
            batch.RequireFolder(folderId);
        }

        batch.RequireScopeTargets(scopes);
        batch.Create(row, prepared.Lookups);
        foreach (var target in prepared.References)
        {
            batch.InsertReferences(target);
        }

        if (schema.Definition.AuditHistory)
        {
            batch.AppendVersion(Entry(caller, "CREATE", null, null,
                VersionDiff.Compute(null, RecordViews.DiffShape(row, prepared.Stripped), _notDiffed), "Record created", now));
        }

        // The allowance is demanded once the input is known to be good (bad input answers 400, never 402) and the
        // write counted only once it committed: a refused or failed write charges nothing.
        await meter.DemandAllowanceAsync(_tenantId, cancellationToken);

        // The last point a cancelled call stops at: once the write starts it completes, so the activation's state and
        // the database never disagree about a write the caller gave up on.
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await batch.ExecuteAsync(dataSource, outbox, type);
        }
        catch (ExternalIdTakenException)
        {
            // Idempotent create (spec L3579): the record holding this externalId answers, unchanged or upserted.
            var existing = await _store.FindByExternalIdAsync(_tenantId, _contextId, type, write.ExternalId!)
                ?? throw new ConflictException("CONFLICT", "A record with this externalId was changed concurrently; retry the request.");
            return await GrainFactory.GetGrain<IRecordGrain>(caller.KeyFor(existing.ToString())).MatchExternalIdAsync(caller, write, upsert);
        }
        catch (ConflictException) when (write.ExternalId is not null)
        {
            // The row and its lookup rows go in one statement, so a repeated create can trip over its own unique
            // lookup values before its externalId: when the externalId is taken, this is the idempotent match.
            var existing = await _store.FindByExternalIdAsync(_tenantId, _contextId, type, write.ExternalId);
            if (existing is null)
            {
                throw;
            }

            return await GrainFactory.GetGrain<IRecordGrain>(caller.KeyFor(existing.Value.ToString())).MatchExternalIdAsync(caller, write, upsert);
        }
        catch (VersionRaceException)
        {
            _loaded = false;
            throw new ConflictException("CONFLICT", "A record with this id already exists.");
        }

        Apply(row);
        await meter.CountAsync(_tenantId, _contextId, WriteCharges.Record(schema, row.ExternalId));
        return new RecordCreateResult(await ViewForAsync(caller, schema), Created: true);
    }

    async Task<RecordCreateResult> IRecordGrain.MatchExternalIdAsync(CallerContext caller, RecordWrite write, bool upsert)
    {
        CheckCaller(caller);
        await EnsureLoadedAsync();
        if (_row is null || !string.Equals(_row.ExternalId, write.ExternalId, StringComparison.Ordinal))
        {
            throw new ConflictException("CONFLICT", "A record with this externalId was changed concurrently; retry the request.");
        }

        // Answering with the existing record needs read on it (API-DELTA §1 "Idempotent-create collision"), its data
        // scope included; root is exempt.
        if (!caller.MayReadExisting($"records:r:{_row.TypeName}", Ownership(_row)))
        {
            throw new ValidationException("externalId", "externalId is already in use.");
        }

        if (upsert && !caller.Permits($"records:u:{_row.TypeName}", Ownership(_row), AccessMode.Read))
        {
            throw new ForbiddenException($"Upserting this record needs 'records:u:{_row.TypeName}' over its ownership.");
        }

        var schema = await RequireSchemaAsync(_row);
        if (!upsert)
        {
            return new RecordCreateResult(await ViewForAsync(caller, schema), Created: false);
        }

        // Upsert overwrites the payload and the mutable fields; externalId, type and ownership never change (L3599).
        var view = await WriteUpdateAsync(caller, schema, write.Payload, write.Status ?? _row.Status, write.FolderId ?? _row.FolderId,
            _row.UserId, _row.Scopes, ExpiryFor(schema, _row.ExpiresAt, write.ExpiresAt, Now()), "Record upserted");
        return new RecordCreateResult(view, Created: false);
    }

    async Task<RecordView> IRecordGrain.GetAsync(CallerContext caller, CancellationToken cancellationToken)
    {
        CheckCaller(caller);
        await EnsureLoadedAsync(cancellationToken);
        var row = _row ?? throw NotFound();
        if (!caller.Permits($"records:r:{row.TypeName}", Ownership(row), AccessMode.Read))
        {
            throw NotFound();
        }

        return await ViewForAsync(caller, await SchemaOfAsync(row));
    }

    async Task<RecordView> IRecordGrain.UpdateAsync(CallerContext caller, RecordWrite write)
    {
        var row = await ForWriteAsync(caller, "u", write.ExpectedVersion);
        if (write.ExternalId is not null && !string.Equals(write.ExternalId, row.ExternalId, StringComparison.Ordinal))
        {
            throw new ValidationException("externalId", "externalId is immutable after create.");
        }

        if (write.IndexMode is not null && !string.Equals(write.IndexMode, row.IndexMode, StringComparison.Ordinal))
        {
            throw new ValidationException("indexMode", "indexMode is immutable after create.");
        }

        // typeName and schemaId are ignored on update (spec RecordRequest L8630).
        var schema = await RequireSchemaAsync(row);
        return await WriteUpdateAsync(caller, schema, write.Payload, write.Status ?? row.Status, write.FolderId ?? row.FolderId,
            write.UserId ?? row.UserId, OwnershipScopes.Resolve(row.Scopes, write.Scopes, write.OrgId, write.ClientId),
            ExpiryFor(schema, row.ExpiresAt, write.ExpiresAt, Now()), "Record updated");
    }

    async Task<RecordView> IRecordGrain.PatchAsync(CallerContext caller, RecordPatch patch)
    {
        var row = await ForWriteAsync(caller, "u", patch.ExpectedVersion);
        var schema = await RequireSchemaAsync(row);
        JsonObject? merged = null;
        if (patch.Payload is not null)
        {
            var sensitive = SensitiveFields.Of(schema);
            var current = RecordViews.Plaintext(row, sensitive, sensitive.Any ? await keyring.GetAsync(_tenantId) : null, _tenantId, _contextId);
            merged = MergePatch.Apply(current, patch.Payload);
        }

        return await WriteUpdateAsync(caller, schema, merged, patch.Status ?? row.Status, patch.FolderId ?? row.FolderId,
            patch.UserId ?? row.UserId, OwnershipScopes.Resolve(row.Scopes, patch.Scopes, patch.OrgId, patch.ClientId),
            ExpiryFor(schema, row.ExpiresAt, patch.ExpiresAt, Now()), "Record patched");
    }

    async Task IRecordGrain.DeleteAsync(CallerContext caller) =>
        await DeleteRowAsync(await ForWriteAsync(caller, "d", expectedVersion: null), caller.CredentialId, "Record deleted");

    async Task<bool> IRecordGrain.ExpireAsync(DateTimeOffset now)
    {
        // Decide on the stored row, as the sweep's query did (rare, so the extra read costs nothing).
        _loaded = false;
        await EnsureLoadedAsync();
        if (_row is not { ExpiresAt: { } expiresAt } row || expiresAt > now)
        {
            return false;
        }

        await DeleteRowAsync(row, RecordExpirySweep.ChangedBy, "Record expired");
        return true;
    }

    private async Task DeleteRowAsync(RecordRow row, string deletedBy, string reason)
    {
        var schema = await SchemaOfAsync(row);
        var stripped = Stripped(row, SensitiveFields.Of(schema));
        var snapshot = RecordViews.Snapshot(row, stripped);
        var now = Now();

        var batch = new RecordWriteBatch(_tenantId, _contextId, _id);
        batch.Delete(row.Version, row.TypeName, snapshot, deletedBy, now);
        if (schema?.Definition.AuditHistory != false)
        {
            batch.AppendVersion(Entry(deletedBy, "DELETE", row.Version, snapshot,
                VersionDiff.Compute(RecordViews.DiffShape(row, stripped), null, _notDiffed), reason, now));
        }

        await ExecuteAsync(batch, row.TypeName);
        _row = null;
        _masked = null;
        _tombstone = new Tombstone(row.TypeName, snapshot, deletedBy, now);
        _tombstoneLoaded = true;
    }

    async Task<RecordView> IRecordGrain.GetTombstoneAsync(CallerContext caller)
    {
        CheckCaller(caller);
        var tombstone = await TombstoneAsync() ?? throw new NotFoundException("No tombstone exists for this record id.");
        if (!caller.Permits($"records:r:{tombstone.TypeName}", TombstoneOwnership(tombstone), AccessMode.Read))
        {
            throw new NotFoundException("No tombstone exists for this record id.");
        }

        return RecordViews.FromTombstone(_id, tombstone.TypeName, tombstone.Snapshot, tombstone.DeletedAt);
    }

    Task IRecordGrain.IndexedAsync(long version, string indexStatus, string? indexFailure)
    {
        if (_loaded && _row?.Version == version)
        {
            _row = _row with { IndexStatus = indexStatus, IndexFailure = indexFailure };
            _masked = _masked is { } cached ? (cached.SchemaVersion, RecordViews.WithIndexState(cached.View, _row)) : null;
        }
        else
        {
            _loaded = false;
            _row = null;
            _masked = null;
        }

        return Task.CompletedTask;
    }

    async Task<VersionPage> IRecordGrain.GetVersionsAsync(CallerContext caller, string? startFrom, int limit)
    {
        CheckCaller(caller);
        await EnsureLoadedAsync();

        // A deleted record keeps its history (the DELETE entry is part of it), reached through its tombstone.
        var tombstone = _row is null ? await TombstoneAsync() : null;
        var type = _row?.TypeName ?? tombstone?.TypeName ?? throw NotFound();
        var owner = _row is { } current ? Ownership(current) : TombstoneOwnership(tombstone!);
        if (!caller.Permits($"records:r:{type}", owner, AccessMode.Read))
        {
            throw NotFound();
        }

        if (await (_row is { } live ? SchemaOfAsync(live) : SchemaAsync(type)) is { Definition.AuditHistory: false })
        {
            throw new ConflictException("AUDIT_HISTORY_DISABLED",
                $"Audit history is disabled for type '{type}' (schema capabilities.auditHistory), so no version history is kept.");
        }

        return await VersionHistory.ListAsync(dataSource, _tenantId, _contextId, RecordViews.KindRecord, _id.ToString(), startFrom, limit);
    }

    /// <summary>
    /// The shared update path (PUT, PATCH, upsert). A null <paramref name="plaintext"/> keeps the payload; a write
    /// that changes nothing is a no-op (no version bump, no history row, no outbox row).
    /// </summary>
    private async Task<RecordView> WriteUpdateAsync(
        CallerContext caller, SchemaView schema, JsonObject? plaintext, string status, Guid? folderId, Guid? userId, IReadOnlyList<string> scopes,
        DateTimeOffset? expiresAt, string reason)
    {
        var before = _row!;
        caller.DemandReplacement($"records:u:{before.TypeName}", Ownership(before), CallerPlacement.Ownership(userId, scopes));
        var sensitive = SensitiveFields.Of(schema);
        var keys = sensitive.Any ? await keyring.GetAsync(_tenantId) : null;
        var beforePlain = RecordViews.Plaintext(before, sensitive, keys, _tenantId, _contextId);
        var payloadChanged = plaintext is not null && !JsonNode.DeepEquals(plaintext, beforePlain);
        var scopesChanged = !scopes.SequenceEqual(before.Scopes, StringComparer.Ordinal);
        if (!payloadChanged && status == before.Status && folderId == before.FolderId && userId == before.UserId
            && !scopesChanged && expiresAt == before.ExpiresAt)
        {
            return await ViewForAsync(caller, schema);
        }

        var prepared = payloadChanged ? await PrepareAsync(schema, plaintext!) : null;
        var now = Now();
        var after = before with
        {
            SchemaId = prepared is null ? before.SchemaId : schema.Id,
            SchemaVersion = prepared is null ? before.SchemaVersion : schema.SchemaVersion,
            StoredPayload = prepared?.StoredJson ?? before.StoredPayload,
            Status = status,
            FolderId = folderId,
            UserId = userId,
            Scopes = scopes,
            ExpiresAt = expiresAt,
            IndexStatus = IndexStatusFor(before.IndexMode),
            UpdatedAt = now,
            Version = before.Version + 1,
        };

        var batch = new RecordWriteBatch(_tenantId, _contextId, _id);
        if (folderId is { } folder && folderId != before.FolderId)
        {
            batch.RequireFolder(folder);
        }

        if (scopesChanged)
        {
            // Only entries that change are checked: an entity deleted since keeps naming the items that carried it.
            batch.RequireScopeTargets(scopes.Except(before.Scopes, StringComparer.Ordinal).ToList());
        }

        batch.Update(after, before.Version, prepared?.Lookups);
        foreach (var target in prepared?.References ?? [])
        {
            batch.InsertReferences(target);
        }

        if (schema.Definition.AuditHistory)
        {
            var strippedBefore = Strip(beforePlain, sensitive);
            var strippedAfter = prepared?.Stripped ?? strippedBefore;
            batch.AppendVersion(Entry(caller, "UPDATE", before.Version, RecordViews.Snapshot(before, strippedBefore),
                VersionDiff.Compute(RecordViews.DiffShape(before, strippedBefore), RecordViews.DiffShape(after, strippedAfter), _notDiffed),
                reason, now));
        }

        await meter.DemandAllowanceAsync(_tenantId);
        await ExecuteAsync(batch, before.TypeName);
        Apply(after);
        await meter.CountAsync(_tenantId, _contextId, WriteCharges.Record(schema, after.ExternalId));
        return await ViewForAsync(caller, schema);
    }

    /// <summary>Validates and turns a plaintext payload into what is stored, indexed and referenced.</summary>
    private async Task<Prepared> PrepareAsync(SchemaView schema, JsonObject plaintext)
    {
        var payload = await PayloadPreparation.PrepareAsync(schema, plaintext, keyring, (_tenantId, _contextId, RecordViews.KindRecord, _id));
        var references = await ReferenceTargets.BuildAsync(GrainFactory, _tenantId, _contextId, schema, plaintext, keyring);
        return new Prepared(payload.StoredJson, payload.Lookups, references, payload.Stripped);
    }

    private async Task ExecuteAsync(RecordWriteBatch batch, string typeName)
    {
        try
        {
            await batch.ExecuteAsync(dataSource, outbox, typeName);
        }
        catch (VersionRaceException)
        {
            // Another activation wrote the row: forget the cached copy so the next call reads the truth.
            _loaded = false;
            _row = null;
            _masked = null;
            throw VersionConflict();
        }
        catch (ExternalIdTakenException)
        {
            throw new ConflictException("CONFLICT", "The record was changed concurrently; retry the request.");
        }
    }

    private async Task<RecordRow> ForWriteAsync(CallerContext caller, string verb, long? expectedVersion)
    {
        CheckCaller(caller);
        await EnsureLoadedAsync();
        var row = _row ?? throw NotFound();
        var owner = Ownership(row);
        var readable = caller.Permits($"records:r:{row.TypeName}", owner, AccessMode.Read);
        if (!caller.Can($"records:{verb}:{row.TypeName}"))
        {
            // Callers that cannot even read the record learn nothing about it (spec: out of scope = 404).
            throw readable ? new ForbiddenException($"This operation requires the 'records:{verb}:{row.TypeName}' scope.") : NotFound();
        }

        if (!readable || !caller.Permits($"records:{verb}:{row.TypeName}", owner, AccessMode.Read))
        {
            // The verb is held, but no clause granting it matches this record: an unwritable record is a uniform 404 (§1).
            throw NotFound();
        }

        if (expectedVersion is { } expected && expected != row.Version)
        {
            throw VersionConflict();
        }

        return row;
    }

    /// <summary>The schema a new record is written under (<see cref="SchemaBinding.BindAsync"/>).</summary>
    private Task<SchemaView> ResolveSchemaAsync(CallerContext caller, string? typeName, Guid? schemaId, Guid? userId, IReadOnlyList<string> scopes) =>
        SchemaBinding.BindAsync(GrainFactory, caller, "record", typeName, schemaId, userId, scopes);

    private async Task<SchemaView> RequireSchemaAsync(RecordRow row) =>
        await SchemaOfAsync(row)
        ?? throw new ValidationException("typeName", $"Record type '{row.TypeName}' has no schema in this context.");

    /// <summary>
    /// The schema a record was written under (records.schema_id): the base, or the basedOn variant it resolved to.
    /// Reads, masking, validation on update and references all use it. Rows without a schema id use the base.
    /// </summary>
    private Task<SchemaView?> SchemaOfAsync(RecordRow row) =>
        SchemaBinding.OfItemAsync(GrainFactory, $"{_tenantId}#{_contextId}", row.TypeName, row.SchemaId);

    private Task<SchemaView?> SchemaAsync(string typeName) =>
        GrainFactory.GetGrain<ISchemaGrain>($"{_tenantId}#{_contextId}#{typeName}").GetAsync();

    /// <summary>Revealed for a caller holding <c>records:s:&lt;type&gt;</c>, else the cached masked view.</summary>
    private async Task<RecordView> ViewForAsync(CallerContext caller, SchemaView? schema)
    {
        var row = _row!;
        var sensitive = SensitiveFields.Of(schema);
        if (sensitive.Any && caller.Permits($"records:s:{row.TypeName}", Ownership(row), AccessMode.Read))
        {
            var revealed = RecordViews.Revealed(row, sensitive, await keyring.GetAsync(_tenantId), _tenantId, _contextId);
            return revealed with { Disclosure = sensitive.Disclosure(revealed.Payload, revealed: true, schema) };
        }

        var revision = schema?.SchemaVersion ?? 0;
        if (_masked is { } cached && cached.SchemaVersion == revision)
        {
            return cached.View;
        }

        var masked = RecordViews.Masked(row, sensitive);
        var view = masked with { Disclosure = sensitive.Disclosure(masked.Payload, revealed: false, schema) };
        _masked = (revision, view);
        return view;
    }

    private async Task EnsureLoadedAsync(CancellationToken cancellationToken = default)
    {
        if (!_loaded)
        {
            _row = await _store.LoadAsync(_tenantId, _contextId, _id, cancellationToken);
            _masked = null;
            _loaded = true;
        }
    }

    private async Task<Tombstone?> TombstoneAsync()
    {
        if (!_tombstoneLoaded)
        {
            _tombstone = await _store.LoadTombstoneAsync(_tenantId, _contextId, _id);
            _tombstoneLoaded = true;
        }

        return _tombstone;
    }

    private void Apply(RecordRow row)
    {
        _row = row;
        _loaded = true;
        _masked = null;
    }

    /// <summary>The stored payload with sensitive members removed; ciphertext never reaches history either.</summary>
    private static JsonObject Stripped(RecordRow row, SensitiveFields sensitive) => StoredPayload.Stripped(row.StoredPayload, sensitive);

    private static JsonObject Strip(JsonObject plaintext, SensitiveFields sensitive) => StoredPayload.Strip(plaintext, sensitive);

    private VersionEntry Entry(CallerContext caller, string change, long? previousVersion, JsonObject? previous, JsonObject diff, string reason, DateTimeOffset at) =>
        Entry(caller.CredentialId, change, previousVersion, previous, diff, reason, at);

    private VersionEntry Entry(string changedBy, string change, long? previousVersion, JsonObject? previous, JsonObject diff, string reason, DateTimeOffset at) =>
        new(_tenantId, _contextId, RecordViews.KindRecord, _id.ToString(), change, previousVersion, previous, diff, reason, changedBy, at);

    private void CheckCaller(CallerContext caller)
    {
        // Defence in depth: the front end builds the key from the caller, so a mismatch is simply not this caller's record.
        if (!string.Equals(caller.TenantId, _tenantId, StringComparison.Ordinal) || !string.Equals(caller.ContextId, _contextId, StringComparison.Ordinal))
        {
            throw NotFound();
        }
    }

    private static void Demand(CallerContext caller, string verb, string type)
    {
        if (!caller.Can($"records:{verb}:{type}"))
        {
            throw new ForbiddenException($"This operation requires the 'records:{verb}:{type}' scope.");
        }
    }

    /// <summary>
    /// <c>expiresAt</c> (0.40 §2): needs the schema's ttlEligible capability and at least ten minutes' notice; once set
    /// it can be extended but not removed or brought forward. Null keeps the current value.
    /// </summary>
    private static DateTimeOffset? ExpiryFor(SchemaView schema, DateTimeOffset? current, DateTimeOffset? requested, DateTimeOffset now)
    {
        if (requested is not { } at || at == current)
        {
            return current;
        }

        if (!schema.Definition.TtlEligible)
        {
            throw new ValidationException("expiresAt", $"expiresAt needs a schema with capabilities.ttlEligible: true; type '{schema.TypeName}' does not have it.");
        }

        if (at < now + RecordLimits.MinimumExpiryNotice)
        {
            throw new ValidationException("expiresAt", $"expiresAt must be at least {RecordLimits.MinimumExpiryNotice.TotalMinutes:0} minutes in the future.");
        }

        if (current is { } set && at < set)
        {
            throw new ValidationException("expiresAt", "expiresAt can be extended but not brought forward.");
        }

        return RecordViews.Truncate(at);
    }

    private static ItemOwnership Ownership(RecordRow row) => CallerPlacement.Ownership(row.UserId, row.Scopes);

    /// <summary>A deleted record's ownership, from its snapshot (the same 404 as a missing one when it is outside the data scope).</summary>
    private static ItemOwnership TombstoneOwnership(Tombstone tombstone) => RecordViews.OwnershipOf(tombstone.Snapshot);

    private static string? IndexStatusFor(string indexMode) => indexMode == "NONE" ? null : "PENDING_INDEX";

    private DateTimeOffset Now() => RecordViews.Truncate(time.GetUtcNow());

    private static NotFoundException NotFound() => new("No record exists with this id.");

    private static ConflictException VersionConflict() =>
        new("VERSION_CONFLICT", "The record was modified since the version you supplied; re-read it and retry.");

    private sealed record Prepared(string StoredJson, IReadOnlyList<LookupRow> Lookups, IReadOnlyList<ReferenceTarget> References, JsonObject Stripped);
}
