using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.ApiFrontend.Http;

/// <summary>
/// Ownership filters of list routes: 0.40 <c>?scope=ns:value</c> (one entry), or the 0.31 <c>?orgId=</c> and
/// <c>?clientId=</c>, which are the scopes <c>org:</c> and <c>client:</c>. Items must carry every filter given.
/// </summary>
public static class ScopeFilters
{
    public static IReadOnlyList<string> Read(HttpRequest request)
    {
        var filters = new List<string>();
        if (QueryParams.Optional(request, "scope") is { } scope)
        {
            filters.Add(OwnershipScopes.ReadFilter(scope));
        }

        foreach (var (name, ns) in new[] { ("orgId", OwnershipScopes.Org), ("clientId", OwnershipScopes.Client) })
        {
            if (QueryParams.Optional(request, name) is not { } raw)
            {
                continue;
            }

            if (!Guid.TryParse(raw, out var id))
            {
                throw new ValidationException(name, $"{name} must be a UUID.");
            }

            if (filters.Count > 0 && QueryParams.Optional(request, "scope") is not null)
            {
                throw new ValidationException("scope", $"Filter by scope or by {name}, not both.");
            }

            filters.Add($"{ns}:{id}");
        }

        return filters;
    }
}
