using System.Text.Json.Nodes;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Vectros.ApiFrontend.Contracts;
using Vectros.Grains.Abstractions.Documents;
using Vectros.V1;
using V1 = Vectros.V1;
using static Vectros.ApiFrontend.Grpc.GrpcRequests;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>
/// Documents between proto messages and the grains' DTOs. Requests become the HTTP API's JSON bodies (DocumentRequest,
/// FileUploadRequest) and go through <see cref="DocumentRequestReader"/>, so both front doors validate with the same
/// code and messages; responses carry what <see cref="DocumentResponse"/> carries.
/// </summary>
public static class DocumentMessages
{
    /// <summary>The body <c>POST /v1/documents</c> would have been sent.</summary>
    public static JsonObject Body(IngestDocumentRequest request)
    {
        var body = new JsonObject();
        Put(body, "title", request.HasTitle ? request.Title : null);
        Put(body, "text", request.HasText ? request.Text : null);
        Put(body, "indexMode", ProtoValues.Wire(request.IndexMode));
        Put(body, "status", ProtoValues.Wire(request.Status));
        Ownership(body, request.Payload, request.HasTypeName ? request.TypeName : null, request.HasSchemaId ? request.SchemaId : null,
            request.HasFolderId ? request.FolderId : null, request.HasUserId ? request.UserId : null, request.Scopes, request.ClearScopes,
            request.HasExternalId ? request.ExternalId : null);
        return body;
    }

    /// <summary>The body <c>PUT /v1/documents/{id}</c> would have been sent.</summary>
    public static JsonObject Body(UpdateDocumentRequest request)
    {
        var body = new JsonObject();
        Put(body, "title", request.HasTitle ? request.Title : null);
        Put(body, "text", request.HasText ? request.Text : null);
        Put(body, "indexMode", ProtoValues.Wire(request.IndexMode));
        Put(body, "status", ProtoValues.Wire(request.Status));
        Ownership(body, request.Payload, request.HasTypeName ? request.TypeName : null, request.HasSchemaId ? request.SchemaId : null,
            request.HasFolderId ? request.FolderId : null, request.HasUserId ? request.UserId : null, request.Scopes, request.ClearScopes,
            request.HasExternalId ? request.ExternalId : null);
        PutExpectedVersion(body, request.HasExpectedVersion ? request.ExpectedVersion : null);
        return body;
    }

    /// <summary>The body <c>PATCH /v1/documents/{id}</c> would have been sent.</summary>
    public static JsonObject Body(PatchDocumentRequest request)
    {
        var body = new JsonObject();
        Put(body, "title", request.HasTitle ? request.Title : null);
        Put(body, "text", request.HasText ? request.Text : null);
        Put(body, "status", ProtoValues.Wire(request.Status));
        Ownership(body, request.Payload, typeName: null, request.HasSchemaId ? request.SchemaId : null,
            request.HasFolderId ? request.FolderId : null, request.HasUserId ? request.UserId : null, request.Scopes, request.ClearScopes,
            externalId: null);
        PutExpectedVersion(body, request.HasExpectedVersion ? request.ExpectedVersion : null);
        return body;
    }

    /// <summary>The body <c>POST /v1/documents/upload</c> would have been sent (the bytes travel beside it).</summary>
    public static JsonObject Body(IngestFileRequest request)
    {
        var body = new JsonObject();
        Put(body, "fileName", request.HasFileName ? request.FileName : null);
        Put(body, "fileType", request.HasFileType ? request.FileType : null);
        Put(body, "title", request.HasTitle ? request.Title : null);
        Put(body, "indexMode", ProtoValues.Wire(request.IndexMode));
        if (request.HasStoreText)
        {
            body["storeText"] = request.StoreText;
        }

        Ownership(body, request.Payload, request.HasTypeName ? request.TypeName : null, request.HasSchemaId ? request.SchemaId : null,
            request.HasFolderId ? request.FolderId : null, request.HasUserId ? request.UserId : null, request.Scopes, request.ClearScopes,
            request.HasExternalId ? request.ExternalId : null);
        return body;
    }

    public static V1.Document From(DocumentView view, bool created = false)
    {
        var document = new V1.Document
        {
            Id = view.Id.ToString(),
            Title = view.Title,
            Status = ProtoValues.Enum<LifecycleStatus>(view.Status),
            IndexStatus = ProtoValues.Enum<IndexStatus>(view.IndexStatus),
            IndexFailure = Failure(view.IndexFailure),
            IndexMode = ProtoValues.Enum<IndexMode>(view.IndexMode),
            StoreText = view.StoreText,
            Payload = ProtoValues.ToStruct(view.Payload),
            PayloadPartial = view.PayloadPartial,
            TextBytes = view.TextBytes,
            CreatedAt = ProtoValues.ToTimestamp(view.CreatedAt),
            UpdatedAt = ProtoValues.ToTimestamp(view.UpdatedAt),
            Version = view.Version,
            Created = created,
        };
        document.Scopes.AddRange(view.Scopes);
        if (view.ExternalId is { } externalId)
        {
            document.ExternalId = externalId;
        }

        if (view.FolderId is { } folderId)
        {
            document.FolderId = folderId.ToString();
        }

        if (view.SchemaId is { } schemaId)
        {
            document.SchemaId = schemaId.ToString();
        }

        if (view.TypeName is { } typeName)
        {
            document.TypeName = typeName;
        }

        if (view.SchemaVersion is { } schemaVersion)
        {
            document.SchemaVersion = schemaVersion;
        }

        if (view.UserId is { } userId)
        {
            document.UserId = userId.ToString();
        }

        if (view.FileType is { } fileType)
        {
            document.FileType = fileType;
        }

        if (view.FileSize is { } fileSize)
        {
            document.FileSize = fileSize;
        }

        return document;
    }

    /// <summary>The processing state of a document: nothing of its payload, title or ownership.</summary>
    public static DocumentStatus Status(DocumentView view) => new()
    {
        Id = view.Id.ToString(),
        Status = ProtoValues.Enum<LifecycleStatus>(view.Status),
        IndexStatus = ProtoValues.Enum<IndexStatus>(view.IndexStatus),
        IndexFailure = Failure(view.IndexFailure),
        IndexMode = ProtoValues.Enum<IndexMode>(view.IndexMode),
        TextBytes = view.TextBytes,
        Version = view.Version,
        UpdatedAt = ProtoValues.ToTimestamp(view.UpdatedAt),
    };

    public static V1.DocumentPage Page(Grains.Abstractions.Documents.DocumentPage page, string? nextCursor)
    {
        var result = new V1.DocumentPage();
        result.Data.AddRange(page.Data.Select(v => From(v)));
        if (nextCursor is not null)
        {
            result.NextCursor = nextCursor;
        }

        return result;
    }

    private static V1.IndexFailure? Failure(Grains.Abstractions.Records.IndexFailure? failure) =>
        failure is null ? null : new V1.IndexFailure { Code = failure.Code, Message = failure.Message };

    private static void Ownership(
        JsonObject body, Struct? payload, string? typeName, string? schemaId, string? folderId, string? userId,
        RepeatedField<string> scopes, bool clearScopes, string? externalId)
    {
        if (payload is not null)
        {
            body["payload"] = ProtoValues.ToJson(payload);
        }

        Put(body, "typeName", typeName);
        Put(body, "schemaId", schemaId);
        Put(body, "folderId", folderId);
        Put(body, "userId", userId);
        PutScopes(body, scopes, clearScopes);

        Put(body, "externalId", externalId);
    }
}
