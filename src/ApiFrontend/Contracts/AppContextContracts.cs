using System.Text.Json.Serialization;
using Vectros.Grains.Abstractions.AppContexts;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>Spec AppContextRequest (L5829). Nullable here because PUT is partial; create checks required fields.</summary>
public sealed record AppContextRequest(string? ContextId, string? Name, string? Description);

/// <summary>Spec AppContextResponse (L5776).</summary>
public sealed record AppContextResponse(
    string Id,
    string ContextId,
    string Name,
    string? Description,
    string CreatedAt,
    string LastModified,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Created = null)
{
    public static AppContextResponse From(AppContextView view, bool? created = null) => new(
        view.Id,
        view.ContextId,
        view.Name,
        view.Description,
        Timestamps.Format(view.CreatedAt),
        Timestamps.Format(view.LastModified),
        view.Status switch
        {
            AppContextStatus.Active => "active",
            AppContextStatus.Purging => "purging",
            _ => "deleted",
        },
        created);
}
