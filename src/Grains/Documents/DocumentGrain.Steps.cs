using System.Data.Common;
using System.Text;
using System.Text.Json.Nodes;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Folders;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.History;
using Vectros.Grains.Metering;
using Vectros.Grains.Records;
using Vectros.Grains.Schemas;

namespace Vectros.Grains.Documents;

/// <summary>The named steps <see cref="DocumentGrain"/>'s operations are made of: binding, checks, the shared update path, caching.</summary>
public sealed partial class DocumentGrain
{
    /// <summary>Who history rows name for a file stored through a signed URL (the PUT carries no credential).</summary>
    private const string UploadedBy = "system:upload";

    /// <summary>
    /// The shared update path (PUT, PATCH, upsert, re-upload upsert). A null payload keeps it (re-validated when the
    /// schema is re-bound); a null text keeps it. A write that changes nothing is a no-op: no version bump, no history
    /// row, no outbox row.
    /// </summary>
    private async Task<DocumentView> WriteUpdateAsync(CallerContext caller, Change change, string reason)
    {
        var before = _row!;
        var current = SensitiveFields.Of(await SchemaOfAsync(before));
        var beforePlain = DocumentViews.Plaintext(before, current, current.Any ? await keyring.GetAsync(_tenantId) : null, _tenantId, _contextId);
        var plaintext = change.Payload ?? (change.Rebound ? beforePlain : null);
        var payloadChanged = change.Rebound || (plaintext is not null && !JsonNode.DeepEquals(plaintext, beforePlain));
        var text = change.Text is { } given && !string.Equals(given, await _store.LoadBodyAsync(_tenantId, _contextId, _id), StringComparison.Ordinal)
            ? given
            : null;
        var scopesChanged = !change.Scopes.SequenceEqual(before.Scopes, StringComparer.Ordinal);
        if (!payloadChanged && text is null && change.Title == before.Title && change.Status == before.Status
            && change.FolderId == before.FolderId && change.UserId == before.UserId && !scopesChanged)
        {
            return await ViewForAsync(caller, change.Schema);
        }

        var prepared = payloadChanged ? await PayloadPreparation.PrepareAsync(change.Schema, plaintext!, keyring, (_tenantId, _contextId, DocumentViews.KindDocument, _id)) : null;
        var now = Now();
        var after = before with
        {
            Title = change.Title,
            TypeName = prepared is null ? before.TypeName : change.Schema?.TypeName,
            SchemaId = prepared is null ? before.SchemaId : change.Schema?.Id,
            SchemaVersion = prepared is null ? before.SchemaVersion : change.Schema?.SchemaVersion,
            StoredPayload = prepared?.StoredJson ?? before.StoredPayload,
            Status = change.Status,
            FolderId = change.FolderId,
            UserId = change.UserId,
            Scopes = change.Scopes,
            HasBody = text is not null || before.HasBody,
            TextBytes = text is null ? before.TextBytes : Encoding.UTF8.GetByteCount(text),
            ContentVersion = before.ContentVersion + (text is null ? 0 : 1),
            IndexStatus = NextIndexStatus(before),
            IndexFailure = null,
            UpdatedAt = now,
            Version = before.Version + 1,
        };

        var batch = new DocumentWriteBatch(_tenantId, _contextId, _id);
        if (change.FolderId is { } folder && folder != before.FolderId)
        {
            batch.RequireFolder(folder);
        }

        if (scopesChanged)
        {
            // Only entries that change are checked: an entity deleted since keeps naming the items that carried it.
            batch.RequireScopeTargets(change.Scopes.Except(before.Scopes, StringComparer.Ordinal).ToList());
        }

        // Archiving takes the document out of search in this same transaction (team contract); ACTIVE re-indexes.
        batch.Update(after, before.Version, prepared?.Lookups, text, archive: after.Status == "ARCHIVED");
        AppendUpdated(batch, caller.CredentialId, change.Schema, before, after, reason, now);
        await meter.DemandAllowanceAsync(_tenantId);
        await ExecuteAsync(batch, after.TypeName);
        Apply(after);
        await meter.CountAsync(_tenantId, _contextId, text is null ? WriteCharges.DocumentWrite : WriteCharges.TextIngest(after.TextBytes));
        return await ViewForAsync(caller, change.Schema);
    }

    /// <summary>
    /// The processing state a write leaves for the indexer: a text document is PENDING_INDEX (STORED when not indexed);
    /// a file waiting for its bytes stays PENDING_UPLOAD; a file whose text is kept only needs indexing again, one whose
    /// text was discarded (storeText false) or never extracted is re-extracted from its bytes (UPLOADED).
    /// </summary>
    private static string NextIndexStatus(DocumentRow before)
    {
        var indexed = before.IndexMode == "NONE" ? "STORED" : "PENDING_INDEX";
        if (!before.IsFile)
        {
            return indexed;
        }

        return before.IndexStatus == "PENDING_UPLOAD" ? "PENDING_UPLOAD" : before.HasBody ? indexed : "UPLOADED";
    }

    /// <summary>A new document's row before its source-specific members are set.</summary>
    private DocumentRow NewRow(
        CallerContext caller, SchemaView? schema, PreparedPayload prepared, string title, string indexMode, Guid folderId, Guid? userId,
        IReadOnlyList<string> scopes, string? externalId, DateTimeOffset now) => new()
    {
        Id = _id,
        Title = title,
        TypeName = schema?.TypeName,
        SchemaId = schema?.Id,
        SchemaVersion = schema?.SchemaVersion,
        StoredPayload = prepared.StoredJson,
        Status = "ACTIVE",
        IndexMode = indexMode,
        IndexStatus = "PENDING_INDEX",
        FolderId = folderId,
        UserId = userId,
        Scopes = scopes,
        ExternalId = externalId,
        Source = DocumentRow.SourceText,
        CreatedBy = caller.CredentialId,
        CreatedAt = now,
        UpdatedAt = now,
        Version = 1,
    };

    /// <summary>A create's guards: the folder it names and the entities its scopes name must exist.</summary>
    private DocumentWriteBatch NewBatch(Guid? folderId, IReadOnlyList<string> scopes)
    {
        var batch = new DocumentWriteBatch(_tenantId, _contextId, _id);
        if (folderId is { } folder)
        {
            batch.RequireFolder(folder);
        }

        batch.RequireScopeTargets(scopes);
        return batch;
    }

    /// <summary>Runs a create; false when the externalId is already held (the caller answers with the holder).</summary>
    private async Task<bool> TryInsertAsync(DocumentWriteBatch batch, DocumentRow row, SchemaView? schema)
    {
        try
        {
            await batch.ExecuteAsync(dataSource, outbox, schema?.TypeName);
        }
        catch (ExternalIdTakenException)
        {
            return false;
        }
        catch (ConflictException) when (row.ExternalId is not null)
        {
            // The row and its lookup rows go in one statement, so a repeated create can trip over its own unique lookup
            // values before its externalId: when the externalId is taken, this is the idempotent match.
            if (await _store.FindByExternalIdAsync(_tenantId, _contextId, row.ExternalId) is null)
            {
                throw;
            }

            return false;
        }
        catch (VersionRaceException)
        {
            Forget();
            throw new ConflictException("CONFLICT", "A document with this id already exists.");
        }

        Apply(row);
        return true;
    }

    private async Task<Guid> HolderOfAsync(string? externalId) =>
        (externalId is null ? null : await _store.FindByExternalIdAsync(_tenantId, _contextId, externalId))
        ?? throw new ConflictException("CONFLICT", "A document with this externalId was changed concurrently; retry the request.");

    /// <summary>
    /// This document holds the externalId a create named. Answering with it needs read on documents (API-DELTA §1
    /// "Idempotent-create collision"; root is exempt): without it a uniform 400.
    /// </summary>
    private async Task<DocumentRow> MatchAsync(CallerContext caller, string? externalId)
    {
        CheckCaller(caller);
        await EnsureLoadedAsync();
        if (_row is null || !string.Equals(_row.ExternalId, externalId, StringComparison.Ordinal))
        {
            throw new ConflictException("CONFLICT", "A document with this externalId was changed concurrently; retry the request.");
        }

        return caller.MayRead("documents:r", _row.UserId, _row.Scopes) ? _row : throw new ValidationException("externalId", "externalId is already in use.");
    }

    /// <summary>
    /// A create's ownership: the body's, else the credential's identity stamped (API-DELTA §8.4), then its placement
    /// checked against the data scope before anything is prepared or written (403).
    /// </summary>
    private static (Guid? UserId, IReadOnlyList<string> Scopes) Placed(CallerContext caller, Guid? userId, IReadOnlyList<string>? scopes, Guid? orgId, Guid? clientId)
    {
        var declared = scopes is null && orgId is null && clientId is null ? null : scopes ?? [];
        var resolved = OwnershipScopes.Resolve([], caller.StampScopes(declared), orgId, clientId);
        var owner = caller.PlaceableStamp("documents:c", userId, caller.StampUser(userId), resolved);
        caller.DemandPlacement("documents:c", CallerPlacement.Ownership(owner, resolved));
        return (owner, resolved);
    }

    /// <summary>
    /// A folder a write names (API-DELTA §6 "Referencing a folder"): one clause must grant <c>folders:r</c> and match the
    /// folder's ownership, else the uniform 400 a missing folder gets.
    /// </summary>
    private async Task CheckFolderAsync(CallerContext caller, Guid? folderId)
    {
        if (folderId is { } id && await GrainFactory.GetGrain<IFolderGrain>(caller.KeyFor(id.ToString())).GetAsync(caller) is null)
        {
            throw new ValidationException("folderId", "folderId does not name a folder in this context.");
        }
    }

    /// <summary>Whether the caller could read a deleted document, judged by the ownership its tombstone recorded.</summary>
    private static bool ReadsDeleted(CallerContext caller, DocumentTombstone tombstone)
    {
        var userId = Guid.TryParse(tombstone.Snapshot["userId"]?.GetValue<string>(), out var id) ? id : (Guid?)null;
        var scopes = tombstone.Snapshot["scopes"] is JsonArray array ? array.Select(n => n!.GetValue<string>()).ToList() : [];
        return caller.MayRead("documents:r", userId, scopes);
    }

    /// <summary>The verb on this document: one clause must grant it and match the ownership, else 403 (the caller can read it).</summary>
    private static void DemandOn(CallerContext caller, DocumentRow row, string verb)
    {
        if (!caller.MayRead($"documents:{verb}", row.UserId, row.Scopes))
        {
            throw new ForbiddenException($"This operation requires the 'documents:{verb}' scope on this document's ownership.");
        }
    }

    /// <summary>The schema a new document binds: none, or the one its typeName/schemaId names (the document surface, active).</summary>
    private async Task<SchemaView?> BindNewAsync(CallerContext caller, string? typeName, Guid? schemaId, Guid? userId, IReadOnlyList<string> scopes)
    {
        if (typeName is null && schemaId is null)
        {
            return null;
        }

        var schema = await SchemaBinding.BindAsync(GrainFactory, caller, "document", typeName, schemaId, userId, scopes);
        return schema.Definition.Active
            ? schema
            : throw new ValidationException(schemaId is null ? "typeName" : "schemaId", $"The schema of type '{schema.TypeName}' is inactive and accepts no new documents.");
    }

    /// <summary>
    /// The schema a PUT or PATCH leaves the document bound to: its own, or the one a new <c>schemaId</c> (or PUT
    /// <c>typeName</c>) names, whose payload then is re-validated (0.40 CL 0.37 "Re-pointing a document"). It can be
    /// re-bound, not cleared.
    /// </summary>
    private async Task<(SchemaView? Schema, bool Rebound)> TargetSchemaAsync(CallerContext caller, DocumentRow row, string? typeName, Guid? schemaId)
    {
        if (typeName is null && schemaId is null)
        {
            return (await SchemaOfAsync(row), false);
        }

        var schema = await SchemaBinding.BindAsync(GrainFactory, caller, "document", typeName, schemaId, row.UserId, row.Scopes);
        if (schema.Id == row.SchemaId)
        {
            return (schema, false);
        }

        return schema.Definition.Active
            ? (schema, true)
            : throw new ValidationException(schemaId is null ? "typeName" : "schemaId", $"The schema of type '{schema.TypeName}' is inactive and accepts no documents.");
    }

    /// <summary>indexMode: the document's own, else its schema's default, else a 400 (spec L8706, L9195).</summary>
    private static string IndexModeFor(string? given, SchemaView? schema) =>
        given ?? schema?.Definition.IndexMode
        ?? throw new ValidationException("indexMode",
            schema is null
                ? "indexMode is required: give HYBRID, SEMANTIC, TEXT or NONE, or bind a schema (schemaId) that declares a default indexMode."
                : $"indexMode is required: the schema of type '{schema.TypeName}' declares no default indexMode.");

    /// <summary>The folder a new document goes to: the one named, else the context's root (spec L7112).</summary>
    private async Task<Guid> FolderForAsync(CallerContext caller, Guid? folderId)
    {
        await CheckFolderAsync(caller, folderId);
        return folderId ?? (await GrainFactory.GetGrain<IFolderDirectoryGrain>(caller.ContextKey).EnsureRootAsync(caller)).Id;
    }

    /// <summary>Checked inline text: not empty, not over <see cref="DocumentLimits.MaxTextBytes"/>. The message never quotes it.</summary>
    private static string CheckedText(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ValidationException("text", "text is empty: a text document needs some text (whitespace alone is not indexable).");
        }

        var bytes = Encoding.UTF8.GetByteCount(text);
        return bytes <= DocumentLimits.MaxTextBytes
            ? text
            : throw new ValidationException("text",
                $"text is {bytes} bytes of UTF-8; a document's text may be at most {DocumentLimits.MaxTextBytes} bytes (5 MiB). Upload larger content as a file.");
    }

    /// <summary>New text for an existing document: only a text document has inline text to replace.</summary>
    private static string TextFor(DocumentRow row, string text) =>
        row.IsFile
            ? throw new ValidationException("text", "text applies to text documents; this document is an uploaded file (re-upload it to replace its content).")
            : CheckedText(text);

    /// <summary>A fresh single-use upload ticket, inserted with the batch.</summary>
    private UploadTicket NewTicket(DocumentWriteBatch batch, string fileType, DateTimeOffset now)
    {
        var ticket = new UploadTicket(Guid.CreateVersion7(), _id, now + options.Value.UploadUrlLifetime, options.Value.MaxFileBytes);
        batch.IssueTicket(ticket.TicketId, fileType, ticket.MaxBytes, ticket.ExpiresAt, now);
        return ticket;
    }

    /// <summary>The checks before any byte is stored (the transaction repeats the first two, against races).</summary>
    private static void CheckTicket(TicketRow ticket, UploadContent content, DateTimeOffset now)
    {
        if (ticket.Used || now >= ticket.ExpiresAt)
        {
            throw UploadRefused(expired: !ticket.Used);
        }

        if (content.Bytes.LongLength > ticket.MaxBytes)
        {
            throw new ValidationException("file", $"The file is {content.Bytes.LongLength} bytes; this upload accepts at most {ticket.MaxBytes} bytes.");
        }

        if (content.ContentType is { } type && !string.Equals(MediaType(type), MediaType(ticket.FileType), StringComparison.OrdinalIgnoreCase))
        {
            throw new ValidationException("Content-Type", "Content-Type must be the fileType given when the upload was started.", "UNSUPPORTED_MEDIA_TYPE");
        }
    }

    private static string MediaType(string contentType) => contentType.Split(';', 2)[0].Trim();

    private static VectrosException UploadRefused(bool expired) =>
        expired
            ? new ForbiddenException("The upload URL has expired; start a new upload with POST /v1/documents/upload.", "URL_EXPIRED")
            : new ConflictException("UPLOAD_URL_USED", "This upload URL was already used; start a new upload with POST /v1/documents/upload.");

    /// <summary>
    /// Best effort: a file no row names any more. A failure leaves an orphaned blob (wasted space, never a wrong read),
    /// so it must not fail the write that already committed.
    /// </summary>
    private async Task DeleteBlobAsync(string key)
    {
        try
        {
            await blobs.DeleteAsync(_tenantId, _contextId, key, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DbException)
        {
            // Nothing to undo: the row no longer points at the key.
        }
    }

    private void AppendCreated(DocumentWriteBatch batch, CallerContext caller, SchemaView? schema, DocumentRow row, JsonObject stripped, string reason)
    {
        if (schema?.Definition.AuditHistory == true)
        {
            batch.AppendVersion(Entry(caller.CredentialId, "CREATE", null, null,
                VersionDiff.Compute(null, DocumentViews.DiffShape(row, stripped), _notDiffed), reason, row.CreatedAt));
        }
    }

    /// <summary>An UPDATE history row when the schema the document ends up bound to keeps history.</summary>
    private void AppendUpdated(DocumentWriteBatch batch, string changedBy, SchemaView? schema, DocumentRow before, DocumentRow after, string reason, DateTimeOffset now)
    {
        if (schema?.Definition.AuditHistory != true)
        {
            return;
        }

        // Ciphertext of either side's schema is stripped as well, so a re-bound document leaks nothing either.
        var sensitive = SensitiveFields.Of(schema);
        var strippedBefore = StoredPayload.Stripped(before.StoredPayload, sensitive);
        var strippedAfter = StoredPayload.Stripped(after.StoredPayload, sensitive);
        batch.AppendVersion(Entry(changedBy, "UPDATE", before.Version, DocumentViews.Snapshot(before, strippedBefore),
            VersionDiff.Compute(DocumentViews.DiffShape(before, strippedBefore), DocumentViews.DiffShape(after, strippedAfter), _notDiffed), reason, now));
    }

    private VersionEntry Entry(string changedBy, string change, long? previousVersion, JsonObject? previous, JsonObject diff, string reason, DateTimeOffset at) =>
        new(_tenantId, _contextId, DocumentViews.KindDocument, _id.ToString(), change, previousVersion, previous, diff, reason, changedBy, at);

    private async Task ExecuteAsync(DocumentWriteBatch batch, string? typeName)
    {
        try
        {
            await batch.ExecuteAsync(dataSource, outbox, typeName);
        }
        catch (VersionRaceException)
        {
            // Another activation wrote the row: forget the cached copy so the next call reads the truth.
            Forget();
            throw VersionConflict();
        }
        catch (ExternalIdTakenException)
        {
            throw new ConflictException("CONFLICT", "The document was changed concurrently; retry the request.");
        }
    }

    private async Task<DocumentRow> ForReadAsync(CallerContext caller)
    {
        CheckCaller(caller);
        await EnsureLoadedAsync();
        // Outside the caller's data scope is the same 404 as missing (issue #9 item 7).
        return _row is { } row && caller.MayRead("documents:r", row.UserId, row.Scopes) ? row : throw NotFound();
    }

    private async Task<DocumentRow> ForWriteAsync(CallerContext caller, string verb, long? expectedVersion)
    {
        CheckCaller(caller);
        await EnsureLoadedAsync();
        var row = _row ?? throw NotFound();
        if (!caller.MayRead($"documents:{verb}", row.UserId, row.Scopes))
        {
            // Callers that cannot even read this document learn nothing about it (out of scope = 404, API-DELTA §1).
            throw caller.MayRead("documents:r", row.UserId, row.Scopes)
                ? new ForbiddenException($"This operation requires the 'documents:{verb}' scope.")
                : NotFound();
        }

        if (expectedVersion is { } expected && expected != row.Version)
        {
            throw VersionConflict();
        }

        return row;
    }

    /// <summary>A create lands on a fresh id; the front end checks the scopes too, this is defence in depth.</summary>
    private void CheckFresh(CallerContext caller, bool upsert)
    {
        CheckCaller(caller);
        Demand(caller, "c");
        if (upsert)
        {
            Demand(caller, "u");
        }

        if (_row is not null)
        {
            throw new ConflictException("CONFLICT", "A document with this id already exists.");
        }
    }

    private static void Demand(CallerContext caller, string verb)
    {
        if (!caller.Can($"documents:{verb}"))
        {
            throw new ForbiddenException($"This operation requires the 'documents:{verb}' scope.");
        }
    }

    private Task<SchemaView?> SchemaOfAsync(DocumentRow row) =>
        row.TypeName is null ? Task.FromResult<SchemaView?>(null) : SchemaBinding.OfItemAsync(GrainFactory, ContextKey, row.TypeName, row.SchemaId);

    /// <summary>Revealed for a caller holding <c>documents:s:&lt;type&gt;</c>, else the cached masked view.</summary>
    private async Task<DocumentView> ViewForAsync(CallerContext caller, SchemaView? schema)
    {
        var row = _row!;
        var sensitive = SensitiveFields.Of(schema);
        // Reveal needs a clause granting documents:s:<type> whose data scope matches this document (API-DELTA §8.4).
        if (sensitive.Any && caller.MayRead($"documents:s:{row.TypeName}", row.UserId, row.Scopes))
        {
            var revealed = DocumentViews.Revealed(row, sensitive, await keyring.GetAsync(_tenantId), _tenantId, _contextId);
            return revealed with { Disclosure = sensitive.Disclosure(revealed.Payload, revealed: true, schema) };
        }

        var revision = schema?.SchemaVersion ?? 0;
        if (_masked is { } cached && cached.SchemaVersion == revision)
        {
            return cached.View;
        }

        var masked = DocumentViews.Masked(row, sensitive);
        var view = masked with { Disclosure = sensitive.Disclosure(masked.Payload, revealed: false, schema) };
        _masked = (revision, view);
        return view;
    }

    private async Task EnsureLoadedAsync()
    {
        if (!_loaded)
        {
            _row = await _store.LoadAsync(_tenantId, _contextId, _id);
            _masked = null;
            _loaded = true;
        }
    }

    private async Task<DocumentTombstone?> TombstoneAsync()
    {
        if (!_tombstoneLoaded)
        {
            _tombstone = await _store.LoadTombstoneAsync(_tenantId, _contextId, _id);
            _tombstoneLoaded = true;
        }

        return _tombstone;
    }

    private void Apply(DocumentRow row)
    {
        _row = row;
        _loaded = true;
        _masked = null;
    }

    private void Forget()
    {
        _loaded = false;
        _row = null;
        _masked = null;
    }

    private void CheckCaller(CallerContext caller)
    {
        // Defence in depth: the front end builds the key from the caller, so a mismatch is simply not this caller's document.
        if (!string.Equals(caller.TenantId, _tenantId, StringComparison.Ordinal) || !string.Equals(caller.ContextId, _contextId, StringComparison.Ordinal))
        {
            throw NotFound();
        }
    }

    private DateTimeOffset Now() => RecordViews.Truncate(time.GetUtcNow());

    private static NotFoundException NotFound() => new("No document exists with this id.");

    private static ConflictException VersionConflict() =>
        new("VERSION_CONFLICT", "The document was modified since the version you supplied; re-read it and retry.");

    /// <summary>What an update asks for, already resolved against the stored row (null payload/text = keep).</summary>
    private sealed record Change(
        SchemaView? Schema, bool Rebound, JsonObject? Payload, string Title, string? Text, string Status, Guid? FolderId, Guid? UserId,
        IReadOnlyList<string> Scopes);
}
