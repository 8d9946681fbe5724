using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Records;
using static Vectros.ApiFrontend.Contracts.RequestMembers;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// Reads DocumentRequest (L7070) and FileUploadRequest (L7354) bodies member by member, so the verbs can differ where
/// the spec says they do: on create a null is absent; on PUT a null keeps the stored value, and <c>indexMode</c> and
/// <c>storeText</c> are ignored (L7176); on PATCH a null, <c>indexMode</c>, <c>externalId</c> and <c>storeText</c> are
/// 400s (L1946, 0.40 CL 0.33). <c>storeText</c> on a text POST is accepted and ignored: inline text is always kept
/// (DESIGN §5a). Unknown members are 400s.
/// </summary>
public static partial class DocumentRequestReader
{
    public enum Verb
    {
        Create,
        Put,
        Patch,
    }

    private static readonly HashSet<string> _immutableOnPatch = new(StringComparer.Ordinal) { "indexMode", "externalId", "storeText", "typeName" };

    private static readonly HashSet<string> _known = new(StringComparer.Ordinal)
    {
        "title", "text", "indexMode", "storeText", "folderId", "payload", "typeName", "schemaId", "userId", "orgId", "clientId",
        "scopes", "externalId", "expectedVersion", "status",
    };

    private static readonly HashSet<string> _uploadMembers = new(StringComparer.Ordinal)
    {
        "fileName", "fileType", "title", "indexMode", "storeText", "folderId", "payload", "typeName", "schemaId", "userId", "orgId",
        "clientId", "scopes", "externalId",
    };

    public static DocumentWrite ReadWrite(JsonObject body, Verb verb)
    {
        OwnershipScopes.CheckOneForm(body["scopes"] is not null, body["orgId"] is not null || body["clientId"] is not null);
        var write = new DocumentWrite();
        foreach (var (name, value) in body)
        {
            if (!_known.Contains(name))
            {
                throw Unknown(name);
            }

            if (verb == Verb.Patch && _immutableOnPatch.Contains(name))
            {
                throw new ValidationException(name, name == "storeText"
                    ? "storeText cannot be changed: text retention is fixed when the document is created."
                    : $"{name} is immutable and cannot be sent on PATCH.");
            }

            if (value is null)
            {
                if (verb == Verb.Patch)
                {
                    throw new ValidationException(name, $"{name} is null: clearing a top-level field is not supported; omit it to leave it unchanged.");
                }

                continue;
            }

            write = name switch
            {
                "title" => write with { Title = String(name, value, DocumentLimits.MaxTitleLength) },
                "text" => write with { Text = AnyString(name, value) },
                "indexMode" => verb == Verb.Create ? write with { IndexMode = OneOf(name, value, DocumentLimits.IndexModes) } : Ignored(write, OneOf(name, value, DocumentLimits.IndexModes)),
                "storeText" => Ignored(write, Boolean(name, value)),
                "folderId" => write with { FolderId = Uuid(name, value) },
                "payload" => write with { Payload = Object(name, value) },
                "typeName" => write with { TypeName = String(name, value, RecordLimits.MaxTypeNameLength) },
                "schemaId" => write with { SchemaId = Uuid(name, value) },
                "userId" => write with { UserId = Uuid(name, value) },
                "orgId" => write with { OrgId = Uuid(name, value) },
                "clientId" => write with { ClientId = Uuid(name, value) },
                "scopes" => write with { Scopes = OwnershipScopes.Read(value) },
                "externalId" => write with { ExternalId = String(name, value, DocumentLimits.MaxExternalIdLength) },
                "expectedVersion" => write with { ExpectedVersion = Integer(name, value) },
                "status" => write with { Status = OneOf(name, value, DocumentLimits.Statuses) },
                _ => throw Unknown(name),
            };
        }

        if (verb == Verb.Create)
        {
            _ = write.Title ?? throw new ValidationException("title", "title is required.");
            _ = write.Text ?? throw new ValidationException("text", "text is required: it is the document (upload a file with POST /v1/documents/upload).");
        }

        return write;
    }

    public static DocumentPatch ReadPatch(JsonObject body)
    {
        var write = ReadWrite(body, Verb.Patch);
        return new DocumentPatch
        {
            Title = write.Title,
            Text = write.Text,
            Payload = write.Payload,
            SchemaId = write.SchemaId,
            FolderId = write.FolderId,
            UserId = write.UserId,
            OrgId = write.OrgId,
            ClientId = write.ClientId,
            Scopes = write.Scopes,
            ExpectedVersion = write.ExpectedVersion,
            Status = write.Status,
        };
    }

    /// <summary>A FileUploadRequest; <c>fileName</c> and <c>fileType</c> (a MIME type) are required.</summary>
    public static DocumentUpload ReadUpload(JsonObject body)
    {
        OwnershipScopes.CheckOneForm(body["scopes"] is not null, body["orgId"] is not null || body["clientId"] is not null);
        string? fileName = null, fileType = null;
        var upload = new DocumentUpload { FileName = "", FileType = "" };
        foreach (var (name, value) in body)
        {
            if (!_uploadMembers.Contains(name))
            {
                throw Unknown(name);
            }

            if (value is null)
            {
                continue;
            }

            upload = name switch
            {
                "fileName" => upload with { FileName = fileName = String(name, value, DocumentLimits.MaxFileNameLength) },
                "fileType" => upload with { FileType = fileType = MimeType(String(name, value, DocumentLimits.MaxFileTypeLength)) },
                "title" => upload with { Title = String(name, value, DocumentLimits.MaxTitleLength) },
                "indexMode" => upload with { IndexMode = OneOf(name, value, DocumentLimits.IndexModes) },
                "storeText" => upload with { StoreText = Boolean(name, value) },
                "folderId" => upload with { FolderId = Uuid(name, value) },
                "payload" => upload with { Payload = Object(name, value) },
                "typeName" => upload with { TypeName = String(name, value, RecordLimits.MaxTypeNameLength) },
                "schemaId" => upload with { SchemaId = Uuid(name, value) },
                "userId" => upload with { UserId = Uuid(name, value) },
                "orgId" => upload with { OrgId = Uuid(name, value) },
                "clientId" => upload with { ClientId = Uuid(name, value) },
                "scopes" => upload with { Scopes = OwnershipScopes.Read(value) },
                "externalId" => upload with { ExternalId = String(name, value, DocumentLimits.MaxExternalIdLength) },
                _ => throw Unknown(name),
            };
        }

        _ = fileName ?? throw new ValidationException("fileName", "fileName is required.");
        _ = fileType ?? throw new ValidationException("fileType", "fileType (the file's MIME type) is required.");
        return upload;
    }

    /// <summary>Read and checked for shape, then dropped: the spec says the member is ignored here.</summary>
    private static DocumentWrite Ignored<T>(DocumentWrite write, T checkedValue)
    {
        _ = checkedValue;
        return write;
    }

    private static string MimeType(string value) =>
        MimePattern().IsMatch(value)
            ? value
            : throw new ValidationException("fileType", "fileType must be a MIME type such as application/pdf or text/plain.");

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(\s*;.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex MimePattern();
}
