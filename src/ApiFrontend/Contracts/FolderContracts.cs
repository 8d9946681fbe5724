using System.Text.Json.Serialization;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Folders;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// Spec FolderRequest (L7883) for create and PUT. Everything is nullable here because PUT is partial and a null
/// keeps the field (spec L7931); create checks <c>name</c> itself. PATCH reads the body as a JSON object instead,
/// because there a null must be told apart from an absent field.
/// </summary>
public sealed record FolderRequest(
    string? Name,
    string? Description,
    string? ParentFolderId,
    string? Slug,
    string? UserId,
    string? OrgId,
    string? ClientId,
    long? ExpectedVersion,
    System.Text.Json.Nodes.JsonNode? Scopes = null);

/// <summary>
/// Spec FolderResponse (L7805). <c>parentFolderId</c> is absent on the root (the spec calls it null there but
/// does not declare it nullable), as are unset owners and description.
/// </summary>
public sealed record FolderResponse(
    string Id,
    string Name,
    string? Description,
    string? ParentFolderId,
    string Slug,
    int Depth,
    bool IsProtected,
    string? UserId,
    IReadOnlyList<string> Scopes,
    string? OrgId,
    string? ClientId,
    string CreatedAt,
    string LastModified,
    long Version,
    [property: JsonPropertyOrder(-1)] bool? Created = null)
{
    public static FolderResponse From(FolderView view, bool? created = null) => new(
        view.Id.ToString(),
        view.Name,
        view.Description,
        view.ParentFolderId?.ToString(),
        view.Slug,
        view.Depth,
        view.IsProtected,
        view.UserId?.ToString(),
        view.Scopes,
        OwnershipScopes.LegacyId(view.Scopes, OwnershipScopes.Org)?.ToString(),
        OwnershipScopes.LegacyId(view.Scopes, OwnershipScopes.Client)?.ToString(),
        Timestamps.Format(view.CreatedAt),
        Timestamps.Format(view.LastModified),
        view.Version,
        created);
}
