using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.History;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.History;
using Vectros.Grains.Storage;

namespace Vectros.Grains.Schemas;

/// <summary>
/// One schema, keyed <c>tenant#context#typeName</c> for a type's base and <c>tenant#context#typeName~id</c> for a
/// <c>basedOn</c> variant (<see cref="SchemaKeys"/>). The base grain serialises every create of its type name: it
/// answers its own owner's idempotent create and hands other owners' creates to their variant's grain. The row is cached in the activation (record writes read it
/// on every call) and every write is conditional on its version, so a second activation fails instead of
/// overwriting. Every write appends a history row in the same transaction (spec L4405: schema history is
/// always kept).
/// </summary>
public sealed class SchemaGrain(NpgsqlDataSource dataSource, TimeProvider time) : Grain, ISchemaGrain
{
    public const string EntityKind = "schema";

    // updatedAt changes on every write; the diff shows what the client changed (and the schemaVersion bump).
    private static readonly IReadOnlySet<string> _notDiffed = new HashSet<string>(StringComparer.Ordinal) { "updatedAt" };

    private readonly SchemaStore _store = new(dataSource);
    private string _tenantId = "";
    private string _contextId = "";
    private string _typeName = "";
    private string _name = "";
    private Guid? _variantId;
    private SchemaView? _view;
    private long _version;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var parts = this.GetPrimaryKeyString().Split('#', 3);
        if (parts.Length != 3)
        {
            throw new ArgumentException($"'{this.GetPrimaryKeyString()}' is not a schema key (tenant#context#typeName).");
        }

        (_tenantId, _contextId, _name) = (parts[0], parts[1], parts[2]);

        // A type name that cannot exist (callers may pass one from a request) simply has no schema.
        if (SchemaKeys.TryParse(_name, out _typeName, out _variantId) && SchemaTypeNames.IsValid(_typeName))
        {
            await ReloadAsync();
        }
    }

    async Task<SchemaCreateResult> ISchemaGrain.CreateAsync(CallerContext caller, SchemaDefinition definition, bool upsert)
    {
        CheckCaller(caller);
        if (!SchemaTypeNames.IsValid(_typeName))
        {
            throw new ValidationException("typeName", "typeName is not a valid type name.");
        }

        if (_variantId is null && _view is not null && !SchemaOwners.Same(_view.Definition, definition))
        {
            // Another owner's schema of a type that has a base: a variant, which must name the base (0.40 basedOn).
            return await CreateVariantAsync(caller, definition, upsert);
        }

        if (definition.BasedOn is { } basedOn && (_variantId is null || _view is not null && _view.Definition.BasedOn != basedOn))
        {
            throw _view is null
                ? new ValidationException("basedOn", $"basedOn does not name a schema of type '{_typeName}' in this context; the first schema of a type is its base and has no basedOn.")
                : new ValidationException("basedOn", $"The base of type '{_typeName}' already belongs to this owner; a variant needs another owner.");
        }

        if (_view is null)
        {
            var now = Now();
            var view = new SchemaView(_variantId ?? Guid.CreateVersion7(), _tenantId, _contextId, _typeName, SchemaDefinitionValidator.Validate(definition), 1, now, now);
            var after = SchemaJson.Snapshot(view);
            var inserted = await _store.InsertAsync(view, new VersionEntry(
                _tenantId, _contextId, EntityKind, view.Id.ToString("D"), "CREATE", null, null,
                VersionDiff.Compute(null, after, _notDiffed), $"Created schema {_typeName}", caller.CredentialId, now));
            if (inserted is null)
            {
                // Another activation created it first: answer like the idempotent create it now is.
                await ReloadAsync();
                return _view is null ? throw PostgresErrors.Conflict("The schema") : new SchemaCreateResult(CheckCollisionRead(caller, _view), Created: false);
            }

            Apply(inserted.Value);
            return new SchemaCreateResult(_view!, Created: true);
        }

        CheckCollisionRead(caller, _view);
        if (!upsert)
        {
            // Bad input is a 400 even when the type exists and nothing would be written.
            _ = SchemaDefinitionValidator.Validate(definition);
            return new SchemaCreateResult(_view, Created: false);
        }

        // Upsert is additive: the submission may name lookups and hints of stored fields it does not restate.
        var stored = _view.Definition;
        var asSubmitted = SchemaDefinitionValidator.Validate(SchemaMerge.Upsert(stored, definition, submittedFirst: true));
        var merged = SchemaDefinitionValidator.Validate(SchemaMerge.Upsert(stored, definition));
        await ChangeAsync(caller, merged, asSubmitted);
        return new SchemaCreateResult(_view, Created: false);
    }

    /// <summary>
    /// A create by an owner other than the base's: <c>basedOn</c> must name this base (one hop). The owner's existing
    /// variant answers the idempotent create; otherwise a new variant grain creates it. Runs in the base's turn, so
    /// two creates for one owner cannot both insert (the owner unique index guards a second activation).
    /// </summary>
    private async Task<SchemaCreateResult> CreateVariantAsync(CallerContext caller, SchemaDefinition definition, bool upsert)
    {
        var baseView = _view!;
        if (definition.BasedOn is not { } basedOn)
        {
            throw new ValidationException("basedOn",
                $"Type '{_typeName}' already has a base schema ({baseView.Id:D}) with another owner; specify basedOn: \"{baseView.Id:D}\" to create this owner's variant.");
        }

        if (basedOn != baseView.Id)
        {
            throw new ValidationException("basedOn",
                $"basedOn must name the base schema of type '{_typeName}' ({baseView.Id:D}) directly; it names no schema of this type, or a variant.");
        }

        var existing = (await _store.VariantsAsync(_tenantId, _contextId, _typeName))
            .FirstOrDefault(v => SchemaOwners.Same(v.Definition, definition));
        var variant = GrainFactory.GetGrain<ISchemaGrain>(caller.KeyFor(SchemaKeys.Variant(_typeName, existing?.Id ?? Guid.CreateVersion7())));
        return await variant.CreateAsync(caller, definition, upsert);
    }

    Task<SchemaView?> ISchemaGrain.GetAsync() => Task.FromResult(_view);

    /// <summary>Answering with the existing schema needs read on it (API-DELTA §1 "Idempotent-create collision"); root is exempt.</summary>
    private static SchemaView CheckCollisionRead(CallerContext caller, SchemaView existing) =>
        caller.Can("schemas:r") ? existing : throw new ValidationException("typeName", "typeName is already in use.");

    async Task<SchemaView> ISchemaGrain.UpdateAsync(CallerContext caller, SchemaDefinition definition)
    {
        CheckCaller(caller);
        var current = _view ?? throw NotFound();
        await ChangeAsync(caller, SchemaDefinitionValidator.Validate(definition with
        {
            // Owners are not part of what a client replaces by accident; keep them unless given.
            UserId = definition.UserId ?? current.Definition.UserId,
            Scopes = definition.Scopes ?? current.Definition.Scopes,
            BasedOn = current.Definition.BasedOn,
        }));
        return _view!;
    }

    async Task<SchemaView> ISchemaGrain.PutAsync(CallerContext caller, SchemaPatch patch, Guid? expectedId)
    {
        CheckCaller(caller);
        var current = Current(expectedId);
        if (patch.TypeName is not null && !string.Equals(patch.TypeName, _typeName, StringComparison.Ordinal))
        {
            throw new ValidationException("typeName", "typeName is immutable; it cannot be changed by an update.", "IMMUTABLE_FIELD");
        }

        if (patch.BasedOn is { } basedOn && basedOn != current.Definition.BasedOn)
        {
            throw new ValidationException("basedOn", "basedOn is immutable; it cannot be changed by an update.", "IMMUTABLE_FIELD");
        }

        // A collection that is present replaces the stored one whole, so error paths index the request's own arrays.
        await ChangeAsync(caller, SchemaDefinitionValidator.Validate(SchemaMerge.Put(current.Definition, patch)));
        return _view!;
    }

    async Task ISchemaGrain.DeleteAsync(CallerContext caller, Guid? expectedId)
    {
        CheckCaller(caller);
        var current = Current(expectedId);
        await CheckDeletableAsync(current);

        var now = Now();
        var before = SchemaJson.Snapshot(current);
        var deleted = await _store.DeleteAsync(current, _version, new VersionEntry(
            _tenantId, _contextId, EntityKind, current.Id.ToString("D"), "DELETE", current.SchemaVersion, before,
            VersionDiff.Compute(before, null, _notDiffed), $"Deleted schema {_typeName}", caller.CredentialId, now));
        if (!deleted)
        {
            await ReloadAsync();
            if (_view is not null)
            {
                await CheckDeletableAsync(_view);
            }

            throw PostgresErrors.Conflict("The schema");
        }

        (_view, _version) = (null, 0);
    }

    /// <summary>409 while records were written under the schema, or (a base) while variants name it.</summary>
    private async Task CheckDeletableAsync(SchemaView current)
    {
        if (await _store.HasRecordsAsync(current))
        {
            throw InUse();
        }

        if (await _store.HasEntitiesAsync(current))
        {
            throw new ConflictException("SCHEMA_IN_USE", $"Entities are bound to the schema of type '{_typeName}'; delete them or bind them to another schema first.");
        }

        if (current.Definition.BasedOn is null && await _store.HasVariantsAsync(_tenantId, _contextId, current.Id))
        {
            throw new ConflictException("SCHEMA_IN_USE",
                $"The schema is the base of type '{_typeName}' and variants still name it in basedOn; delete those variant schemas first.");
        }
    }

    async Task<VersionPage> ISchemaGrain.GetVersionsAsync(string? startFrom, int limit)
    {
        var current = _view ?? throw NotFound();
        return await VersionHistory.ListAsync(dataSource, _tenantId, _contextId, EntityKind, current.Id.ToString("D"), startFrom, limit);
    }

    /// <summary>Applies a validated definition: refused if locked, a no-op if identical, else one versioned write.</summary>
    /// <param name="reportAs">The same change ordered as the request was, so that lock errors index its arrays.</param>
    private async Task ChangeAsync(CallerContext caller, SchemaDefinition definition, SchemaDefinition? reportAs = null)
    {
        var current = _view!;
        if (SchemaJson.Same(current.Definition, definition))
        {
            // Identical content is not an edit: no write, no history row, no schemaVersion bump (spec L4205).
            return;
        }

        var hasRecords = SchemaChangeRules.NeedsRecordCheck(current.Definition, definition)
            && await _store.HasRecordsAsync(current);
        SchemaChangeRules.Check(current.Definition, reportAs ?? definition, hasRecords);

        var now = Now();
        var next = current with { Definition = definition, SchemaVersion = current.SchemaVersion + 1, UpdatedAt = now };
        var before = SchemaJson.Snapshot(current);
        var after = SchemaJson.Snapshot(next);
        var diff = VersionDiff.Compute(before, after, _notDiffed);
        var changed = diff["fields"]!.AsArray().Select(f => f!.GetValue<string>()).Where(f => f != "schemaVersion");
        var updated = await _store.UpdateAsync(next, _version, new VersionEntry(
            _tenantId, _contextId, EntityKind, current.Id.ToString("D"), "UPDATE", current.SchemaVersion, before, diff,
            "Updated: " + string.Join(", ", changed), caller.CredentialId, now),
            SchemaChangeRules.RemovedLookups(current.Definition, definition));
        if (updated is null)
        {
            await ReloadAsync();
            throw PostgresErrors.Conflict("The schema");
        }

        Apply(updated.Value);
    }

    /// <summary>The grain key already names the caller's tenant and context; a mismatch is a wiring bug, never data.</summary>
    private void CheckCaller(CallerContext caller)
    {
        if (!string.Equals(caller.KeyFor(_name), this.GetPrimaryKeyString(), StringComparison.Ordinal))
        {
            throw NotFound();
        }
    }

    // PostgreSQL keeps microseconds: truncate so the cached view equals what a reload returns.
    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % 10), TimeSpan.Zero);
    }

    private async Task ReloadAsync()
    {
        var loaded = _variantId is { } id
            ? await _store.LoadVariantAsync(_tenantId, _contextId, _typeName, id)
            : await _store.LoadAsync(_tenantId, _contextId, _typeName);
        _view = loaded?.View;
        _version = loaded?.Version ?? 0;
    }

    private void Apply((SchemaView View, long Version) row) => (_view, _version) = row;

    /// <summary>The schema, if it is the one the caller addressed: an id of a deleted incarnation of this type is gone.</summary>
    private SchemaView Current(Guid? expectedId) =>
        _view is { } view && (expectedId is null || view.Id == expectedId) ? view : throw NotFound();

    private static NotFoundException NotFound() => new("No schema with this id exists.");

    private static ConflictException InUse() =>
        new("SCHEMA_IN_USE", "The schema is still in use by existing records or documents of its type; delete those first.");
}
