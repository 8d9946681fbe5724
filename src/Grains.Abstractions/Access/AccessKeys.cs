namespace Vectros.Grains.Abstractions.Access;

/// <summary>Grain keys of roles and profiles: <c>tenant#ctx#roleId</c> and <c>tenant#ctx#principalId</c> (ids hold no '#').</summary>
public static class AccessKeys
{
    public static string Of(string tenantId, string contextId, string id) => $"{tenantId}#{contextId}#{id}";

    public static (string TenantId, string ContextId, string Id) Split(string key)
    {
        var parts = key.Split('#');
        return parts.Length == 3 ? (parts[0], parts[1], parts[2]) : throw new ArgumentException($"'{key}' is not a tenant#context#id key.", nameof(key));
    }
}
