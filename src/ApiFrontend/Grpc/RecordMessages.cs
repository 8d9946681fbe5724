using System.Text.Json.Nodes;
using Vectros.ApiFrontend.Contracts;
using Vectros.Grains.Abstractions.History;
using Vectros.Grains.Abstractions.Records;
using Vectros.V1;
using V1 = Vectros.V1;
using static Vectros.ApiFrontend.Grpc.GrpcRequests;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>
/// Records between proto messages and the grains' DTOs. Requests become the HTTP API's JSON body and go through
/// <see cref="RecordRequestReader"/>, so both front doors validate a write with the same code and the same messages.
/// </summary>
public static class RecordMessages
{
    public static JsonObject Body(RecordFields fields)
    {
        var body = new JsonObject();
        Put(body, "typeName", fields.HasTypeName ? fields.TypeName : null);
        Put(body, "schemaId", fields.HasSchemaId ? fields.SchemaId : null);
        Put(body, "externalId", fields.HasExternalId ? fields.ExternalId : null);
        Put(body, "folderId", fields.HasFolderId ? fields.FolderId : null);
        Put(body, "userId", fields.HasUserId ? fields.UserId : null);
        Put(body, "status", ProtoValues.Wire(fields.Status));
        Put(body, "indexMode", ProtoValues.Wire(fields.IndexMode));
        Common(body, fields.Payload, fields.Scopes, fields.ClearScopes, fields.ExpiresAt,
            fields.HasExpectedVersion ? fields.ExpectedVersion : null);
        return body;
    }

    public static JsonObject Body(PatchRecordRequest patch)
    {
        var body = new JsonObject();
        Put(body, "folderId", patch.HasFolderId ? patch.FolderId : null);
        Put(body, "userId", patch.HasUserId ? patch.UserId : null);
        Put(body, "status", ProtoValues.Wire(patch.Status));
        Common(body, patch.Payload, patch.Scopes, patch.ClearScopes, patch.ExpiresAt, patch.HasExpectedVersion ? patch.ExpectedVersion : null);
        return body;
    }

    public static Record From(RecordView view, bool created = false)
    {
        var record = new Record
        {
            Id = view.Id.ToString(),
            TypeName = view.TypeName,
            Payload = ProtoValues.ToStruct(view.Payload),
            Status = ProtoValues.Enum<LifecycleStatus>(view.Status),
            ExpiresAt = ProtoValues.ToTimestamp(view.ExpiresAt),
            IndexFailure = view.IndexFailure is { } failure ? new V1.IndexFailure { Code = failure.Code, Message = failure.Message } : null,
            PayloadPartial = view.PayloadPartial,
            IndexStatus = ProtoValues.Enum<IndexStatus>(view.IndexStatus),
            IndexMode = ProtoValues.Enum<IndexMode>(view.IndexMode),
            CreatedBy = view.CreatedBy,
            CreatedAt = ProtoValues.ToTimestamp(view.CreatedAt),
            UpdatedAt = ProtoValues.ToTimestamp(view.UpdatedAt),
            Version = view.Version,
            Created = created,
        };
        record.Scopes.AddRange(view.Scopes);
        if (view.SchemaId is { } schemaId)
        {
            record.SchemaId = schemaId.ToString();
        }

        if (view.SchemaVersion is { } schemaVersion)
        {
            record.SchemaVersion = schemaVersion;
        }

        if (view.ExternalId is { } externalId)
        {
            record.ExternalId = externalId;
        }

        if (view.FolderId is { } folderId)
        {
            record.FolderId = folderId.ToString();
        }

        if (view.UserId is { } userId)
        {
            record.UserId = userId.ToString();
        }

        return record;
    }

    public static V1.RecordPage Page(Grains.Abstractions.Records.RecordPage page, string? nextCursor)
    {
        var result = new V1.RecordPage();
        result.Data.AddRange(page.Data.Select(v => From(v)));
        if (nextCursor is not null)
        {
            result.NextCursor = nextCursor;
        }

        return result;
    }

    public static V1.VersionPage Versions(Grains.Abstractions.History.VersionPage page)
    {
        var result = new V1.VersionPage();
        result.Data.AddRange(page.Data.Select(Version));
        if (page.NextCursor is { } next)
        {
            result.NextCursor = next;
        }

        return result;
    }

    public static V1.Version Version(VersionView view)
    {
        var version = new V1.Version
        {
            Id = view.Id.ToString(),
            ChangeType = view.ChangeType,
            ChangedBy = view.ChangedBy,
            CreatedAt = ProtoValues.ToTimestamp(view.CreatedAt),
        };
        if (view.PreviousContent is { } previous)
        {
            version.PreviousContent = previous;
        }

        if (view.PreviousVersion is { } previousVersion)
        {
            version.PreviousVersion = previousVersion;
        }

        if (view.ChangeReason is { } reason)
        {
            version.ChangeReason = reason;
        }

        if (view.ChangedFields is { } changes)
        {
            version.ChangedFields = new ChangeSet { Summary = changes.Summary, Count = changes.Count };
            version.ChangedFields.Fields.AddRange(changes.Fields);
            foreach (var (key, field) in changes.Details)
            {
                // A side where the value did not exist stays unset, as the HTTP API leaves it out.
                version.ChangedFields.Details[key] = new ChangedField
                {
                    Name = field.Name,
                    SourceVal = field.SourceVal is null ? null : ProtoValues.ToValue(field.SourceVal),
                    TargetVal = field.TargetVal is null ? null : ProtoValues.ToValue(field.TargetVal),
                };
            }
        }

        return version;
    }

    private static void Common(
        JsonObject body, Google.Protobuf.WellKnownTypes.Struct? payload, IReadOnlyCollection<string> scopes, bool clearScopes,
        Google.Protobuf.WellKnownTypes.Timestamp? expiresAt, long? expectedVersion)
    {
        if (payload is not null)
        {
            body["payload"] = ProtoValues.ToJson(payload);
        }

        PutScopes(body, scopes, clearScopes);

        if (expiresAt is not null)
        {
            body["expiresAt"] = ProtoValues.FormatTimestamp(expiresAt);
        }

        PutExpectedVersion(body, expectedVersion);
    }
}
