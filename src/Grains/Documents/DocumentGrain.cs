using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Folders;
using Vectros.Grains.Abstractions.History;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Blobs;
using Vectros.Grains.History;
using Vectros.Grains.Metering;
using Vectros.Grains.Outbox;
using Vectros.Grains.Records;
using Vectros.Grains.Schemas;
using Vectros.Grains.Security;

namespace Vectros.Grains.Documents;

/// <summary>
/// One document, keyed <c>tenant#context#documentId</c>; it owns the document's lifecycle. The row (without its text)
/// is loaded lazily and cached with the masked view most readers get. Every write is one batch guarded by the version
/// this activation last saw (<see cref="DocumentWriteBatch"/>), so a second activation fails instead of overwriting;
/// the indexing pipeline never moves that version, it only changes the processing state and then invalidates this
/// cache. Upload bytes reach the blob store before the transaction that records them, under a key of their own, and
/// are deleted again when that transaction fails, so a refused upload leaves nothing behind.
/// </summary>
public sealed partial class DocumentGrain(
    NpgsqlDataSource dataSource, OutboxSignal outbox, TenantKeyring keyring, IBlobStore blobs, IOptions<DocumentOptions> options, IUsageMeter meter,
    TimeProvider time)
    : Grain, IDocumentGrain
{
    private static readonly IReadOnlySet<string> _notDiffed = new HashSet<string>(StringComparer.Ordinal);

    private readonly DocumentStore _store = new(dataSource);
    private string _tenantId = "";
    private string _contextId = "";
    private Guid _id;
    private bool _loaded;
    private DocumentRow? _row;
    private (int SchemaVersion, DocumentView View)? _masked;
    private bool _tombstoneLoaded;
    private DocumentTombstone? _tombstone;

    private string ContextKey => $"{_tenantId}#{_contextId}";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var parts = this.GetPrimaryKeyString().Split('#');
        if (parts.Length != 3 || !Guid.TryParse(parts[2], out _id))
        {
            throw new ArgumentException($"'{this.GetPrimaryKeyString()}' is not a document key (tenant#context#documentId).");
        }

        (_tenantId, _contextId) = (parts[0], parts[1]);
        return Task.CompletedTask;
    }

    async Task<DocumentCreateResult> IDocumentGrain.CreateAsync(CallerContext caller, DocumentWrite write, bool upsert)
    {
        CheckFresh(caller, upsert);
        var text = CheckedText(write.Text ?? throw new ValidationException("text", "text is required: it is the document (use POST /v1/documents/upload for a file)."));
        var (userId, scopes) = Placed(caller, write.UserId, write.Scopes, write.OrgId, write.ClientId);
        var schema = await BindNewAsync(caller, write.TypeName, write.SchemaId, userId, scopes);
        var indexMode = IndexModeFor(write.IndexMode, schema);
        var prepared = await PayloadPreparation.PrepareAsync(schema, write.Payload ?? [], keyring, (_tenantId, _contextId, DocumentViews.KindDocument, _id));
        var now = Now();
        var row = NewRow(caller, schema, prepared, write.Title ?? throw new ValidationException("title", "title is required."), indexMode,
            await FolderForAsync(caller, write.FolderId), userId, scopes, write.ExternalId, now) with
        {
            Source = DocumentRow.SourceText,
            IndexStatus = indexMode == "NONE" ? "STORED" : "PENDING_INDEX",
            HasBody = true,
            TextBytes = Encoding.UTF8.GetByteCount(text),
        };

        var batch = NewBatch(write.FolderId, scopes);
        batch.Create(row, text, prepared.Lookups, enqueue: true);
        AppendCreated(batch, caller, schema, row, prepared.Stripped, "Document ingested");
        await meter.DemandAllowanceAsync(_tenantId);
        if (!await TryInsertAsync(batch, row, schema))
        {
            var holder = await HolderOfAsync(write.ExternalId);
            return await GrainFactory.GetGrain<IDocumentGrain>(caller.KeyFor(holder.ToString())).MatchExternalIdAsync(caller, write, upsert);
        }

        await meter.CountAsync(_tenantId, _contextId, WriteCharges.TextIngest(row.TextBytes));
        return new DocumentCreateResult(await ViewForAsync(caller, schema), Created: true);
    }

    async Task<DocumentCreateResult> IDocumentGrain.MatchExternalIdAsync(CallerContext caller, DocumentWrite write, bool upsert)
    {
        var row = await MatchAsync(caller, write.ExternalId);
        var schema = await SchemaOfAsync(row);
        if (!upsert)
        {
            return new DocumentCreateResult(await ViewForAsync(caller, schema), Created: false);
        }

        // Upsert applies the mutable fields (spec L1766): title, payload, text, status, folder. externalId, schema,
        // indexMode and ownership never change.
        DemandOn(caller, row, "u");
        await CheckFolderAsync(caller, write.FolderId == row.FolderId ? null : write.FolderId);
        var text = write.Text is null ? null : TextFor(row, write.Text);
        var view = await WriteUpdateAsync(caller, new Change(schema, Rebound: false, write.Payload, write.Title ?? row.Title, text,
            write.Status ?? row.Status, write.FolderId ?? row.FolderId, row.UserId, row.Scopes), "Document upserted");
        return new DocumentCreateResult(view, Created: false);
    }

    async Task<DocumentUploadResult> IDocumentGrain.StartUploadAsync(CallerContext caller, DocumentUpload upload, bool upsert)
    {
        CheckFresh(caller, upsert);
        var (userId, scopes) = Placed(caller, upload.UserId, upload.Scopes, upload.OrgId, upload.ClientId);
        var schema = await BindNewAsync(caller, upload.TypeName, upload.SchemaId, userId, scopes);
        var indexMode = IndexModeFor(upload.IndexMode, schema);
        var prepared = await PayloadPreparation.PrepareAsync(schema, upload.Payload ?? [], keyring, (_tenantId, _contextId, DocumentViews.KindDocument, _id));
        var now = Now();
        var row = NewRow(caller, schema, prepared, upload.Title ?? upload.FileName, indexMode,
            await FolderForAsync(caller, upload.FolderId), userId, scopes, upload.ExternalId, now) with
        {
            Source = DocumentRow.SourceFile,
            IndexStatus = "PENDING_UPLOAD",
            StoreText = upload.StoreText ?? true,
            FileName = upload.FileName,
            FileType = upload.FileType,
        };

        // Nothing to index until the bytes arrive: the upload's own transaction enqueues the work.
        var batch = NewBatch(upload.FolderId, scopes);
        batch.Create(row, body: null, prepared.Lookups, enqueue: false);
        var ticket = NewTicket(batch, upload.FileType, now);
        AppendCreated(batch, caller, schema, row, prepared.Stripped, "File upload started");
        // The ingest is charged when the bytes arrive (StoreUploadAsync); an exhausted allowance refuses it here already.
        await meter.DemandAllowanceAsync(_tenantId);
        if (!await TryInsertAsync(batch, row, schema))
        {
            var holder = await HolderOfAsync(upload.ExternalId);
            return await GrainFactory.GetGrain<IDocumentGrain>(caller.KeyFor(holder.ToString())).MatchUploadAsync(caller, upload, upsert);
        }

        return new DocumentUploadResult(await ViewForAsync(caller, schema), Created: true, ticket);
    }

    async Task<DocumentUploadResult> IDocumentGrain.MatchUploadAsync(CallerContext caller, DocumentUpload upload, bool upsert)
    {
        var row = await MatchAsync(caller, upload.ExternalId);

        // A re-upload replaces the file and re-indexes it: it is an update (0.40 §3), whatever upsert says.
        DemandOn(caller, row, "u");
        if (!row.IsFile)
        {
            throw new ValidationException("externalId", "externalId names a text document; a file upload cannot replace its text (PUT the text instead).");
        }

        var schema = await SchemaOfAsync(row);
        var view = upsert
            ? await WriteUpdateAsync(caller, new Change(schema, Rebound: false, upload.Payload, upload.Title ?? upload.FileName, Text: null,
                row.Status, row.FolderId, row.UserId, row.Scopes), "Document upserted by a re-upload")
            : await ViewForAsync(caller, schema);

        var batch = new DocumentWriteBatch(_tenantId, _contextId, _id);
        var ticket = NewTicket(batch, upload.FileType, Now());
        await batch.ExecuteAsync(dataSource, outbox, row.TypeName);
        return new DocumentUploadResult(view, Created: false, ticket);
    }

    async Task IDocumentGrain.StoreUploadAsync(UploadContent content)
    {
        await EnsureLoadedAsync();
        var row = _row ?? throw new NotFoundException("The document this upload URL belongs to no longer exists.");
        var now = Now();
        var ticket = await _store.LoadTicketAsync(_tenantId, _contextId, _id, content.TicketId)
            ?? throw new NotFoundException("This upload URL belongs to no pending upload.");
        CheckTicket(ticket, content, now);

        // A key per upload: the old file stays readable until the new one is recorded, and a failed write deletes only its own bytes.
        var key = $"documents/{_id:N}/{content.TicketId:N}";
        await meter.DemandAllowanceAsync(_tenantId);
        await blobs.PutAsync(_tenantId, _contextId, key, content.Bytes, CancellationToken.None);
        var after = row with
        {
            FileType = ticket.FileType,
            FileSize = content.Bytes.LongLength,
            BlobKey = key,
            IndexStatus = "UPLOADED",
            IndexFailure = null,
            HasBody = false,
            TextBytes = 0,
            ContentVersion = row.ContentVersion + 1,
            UpdatedAt = now,
            Version = row.Version + 1,
        };

        var schema = await SchemaOfAsync(row);
        var batch = new DocumentWriteBatch(_tenantId, _contextId, _id);
        batch.StoreUpload(ticket.TicketId, now, ticket.FileType, after.FileSize.Value, key, row.Version, after.IndexStatus);
        AppendUpdated(batch, UploadedBy, schema, row, after, "File uploaded", now);
        try
        {
            await batch.ExecuteAsync(dataSource, outbox, row.TypeName);
        }
        catch (Exception ex) when (ex is TicketSpentException or VersionRaceException)
        {
            await DeleteBlobAsync(key);
            Forget();
            throw ex is TicketSpentException
                ? UploadRefused(now >= ticket.ExpiresAt)
                : new ConflictException("CONFLICT", "The document changed while the file was stored; nothing was kept. Retry the PUT.");
        }

        Apply(after);
        await meter.CountAsync(_tenantId, _contextId, WriteCharges.FileIngest(content.Bytes.LongLength));
        if (row.BlobKey is { } previous && previous != key)
        {
            await DeleteBlobAsync(previous);
        }
    }

    async Task<DocumentView> IDocumentGrain.GetAsync(CallerContext caller)
    {
        var row = await ForReadAsync(caller);
        return await ViewForAsync(caller, await SchemaOfAsync(row));
    }

    async Task<DocumentText> IDocumentGrain.GetTextAsync(CallerContext caller)
    {
        var row = await ForReadAsync(caller);
        var text = row.HasBody ? await _store.LoadBodyAsync(_tenantId, _contextId, _id) : null;
        return text is null
            ? throw new NotFoundException(row.IsFile && row.StoreText
                ? "The document has no text yet: its file has not been uploaded or extracted."
                : "The document has no stored text: it was uploaded with storeText false.")
            : new DocumentText(_id, text);
    }

    async Task<DocumentDownload> IDocumentGrain.GetDownloadAsync(CallerContext caller)
    {
        var row = await ForReadAsync(caller);
        if (!row.IsFile)
        {
            throw new ValidationException(null, "The document is text-only: there is no file to download (GET /v1/documents/{id}/text returns its text).");
        }

        return row.BlobKey is null
            ? throw new NotFoundException("The document's file has not been uploaded yet.")
            : new DocumentDownload(_id, row.FileType ?? "application/octet-stream", row.FileName, Now() + options.Value.DownloadUrlLifetime);
    }

    async Task<DocumentFile?> IDocumentGrain.ReadFileAsync()
    {
        await EnsureLoadedAsync();
        if (_row is not { BlobKey: { } key } row)
        {
            return null;
        }

        var bytes = await blobs.GetAsync(_tenantId, _contextId, key, CancellationToken.None);
        return bytes is null ? null : new DocumentFile(bytes, row.FileType ?? "application/octet-stream", row.FileName);
    }

    async Task<DocumentView> IDocumentGrain.UpdateAsync(CallerContext caller, DocumentWrite write)
    {
        var row = await ForWriteAsync(caller, "u", write.ExpectedVersion);
        if (write.ExternalId is not null && !string.Equals(write.ExternalId, row.ExternalId, StringComparison.Ordinal))
        {
            throw new ValidationException("externalId", "externalId is immutable after create.");
        }

        // indexMode and storeText are fixed at create and ignored on PUT (spec L7176, DESIGN §5a).
        var userId = write.UserId ?? row.UserId;
        var scopes = OwnershipScopes.Resolve(row.Scopes, write.Scopes, write.OrgId, write.ClientId);
        caller.DemandReplacement("documents:u", CallerPlacement.Ownership(row.UserId, row.Scopes), CallerPlacement.Ownership(userId, scopes));
        await CheckFolderAsync(caller, write.FolderId == row.FolderId ? null : write.FolderId);
        var (schema, rebound) = await TargetSchemaAsync(caller, row, write.TypeName, write.SchemaId);
        return await WriteUpdateAsync(caller, new Change(schema, rebound, write.Payload, write.Title ?? row.Title,
            write.Text is null ? null : TextFor(row, write.Text), write.Status ?? row.Status, write.FolderId ?? row.FolderId,
            userId, scopes), "Document updated");
    }

    async Task<DocumentView> IDocumentGrain.PatchAsync(CallerContext caller, DocumentPatch patch)
    {
        var row = await ForWriteAsync(caller, "u", patch.ExpectedVersion);
        var userId = patch.UserId ?? row.UserId;
        var scopes = OwnershipScopes.Resolve(row.Scopes, patch.Scopes, patch.OrgId, patch.ClientId);
        caller.DemandReplacement("documents:u", CallerPlacement.Ownership(row.UserId, row.Scopes), CallerPlacement.Ownership(userId, scopes));
        await CheckFolderAsync(caller, patch.FolderId == row.FolderId ? null : patch.FolderId);
        var (schema, rebound) = await TargetSchemaAsync(caller, row, typeName: null, patch.SchemaId);
        JsonObject? merged = null;
        if (patch.Payload is not null)
        {
            var sensitive = SensitiveFields.Of(await SchemaOfAsync(row));
            var current = DocumentViews.Plaintext(row, sensitive, sensitive.Any ? await keyring.GetAsync(_tenantId) : null, _tenantId, _contextId);
            merged = MergePatch.Apply(current, patch.Payload);
        }

        return await WriteUpdateAsync(caller, new Change(schema, rebound, merged, patch.Title ?? row.Title,
            patch.Text is null ? null : TextFor(row, patch.Text), patch.Status ?? row.Status, patch.FolderId ?? row.FolderId,
            userId, scopes), "Document patched");
    }

    async Task IDocumentGrain.DeleteAsync(CallerContext caller)
    {
        var row = await ForWriteAsync(caller, "d", expectedVersion: null);
        var schema = await SchemaOfAsync(row);
        var stripped = StoredPayload.Stripped(row.StoredPayload, SensitiveFields.Of(schema));
        var snapshot = DocumentViews.Snapshot(row, stripped);
        var now = Now();

        var batch = new DocumentWriteBatch(_tenantId, _contextId, _id);
        batch.Delete(row.Version, snapshot, caller.CredentialId, now);
        if (schema?.Definition.AuditHistory == true)
        {
            batch.AppendVersion(Entry(caller.CredentialId, "DELETE", row.Version, snapshot,
                VersionDiff.Compute(DocumentViews.DiffShape(row, stripped), null, _notDiffed), "Document deleted", now));
        }

        await ExecuteAsync(batch, row.TypeName);
        _row = null;
        _masked = null;
        _tombstone = new DocumentTombstone(snapshot, caller.CredentialId, now);
        _tombstoneLoaded = true;
        if (row.BlobKey is { } key)
        {
            await DeleteBlobAsync(key);
        }
    }

    async Task<VersionPage> IDocumentGrain.GetVersionsAsync(CallerContext caller, string? startFrom, int limit)
    {
        CheckCaller(caller);
        await EnsureLoadedAsync();

        // A deleted document keeps its history (the DELETE entry is part of it), reached through its tombstone.
        if (_row is null && await TombstoneAsync() is null)
        {
            throw NotFound();
        }

        if (_row is { } live ? !caller.MayRead("documents:r", live.UserId, live.Scopes) : !ReadsDeleted(caller, _tombstone!))
        {
            throw NotFound();
        }

        return await VersionHistory.ListAsync(dataSource, _tenantId, _contextId, DocumentViews.KindDocument, _id.ToString(), startFrom, limit);
    }

    Task IDocumentGrain.InvalidateAsync()
    {
        Forget();
        return Task.CompletedTask;
    }
}
