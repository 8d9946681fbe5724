using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Abstractions.Keys;

/// <summary>Scoped key formats and limits (spec CreateScopedKeyRequest L5476), shared by the front end and the grains.</summary>
public static class ScopedKeyRules
{
    public const string LivePrefix = "ssk_live_";
    public const string TestPrefix = "ssk_test_";
    public const int MaxKeyName = 100;
    public const int MaxLabel = 80;

    /// <summary>Grain key of one key: <c>tenant#keyId</c>.</summary>
    public static string Key(string tenantId, string keyId) => $"{tenantId}#{keyId}";

    public static string Prefix(TenantEnvironment environment) => environment == TenantEnvironment.Live ? LivePrefix : TestPrefix;

    /// <summary>The environment a raw key names by its prefix, or null when it is not a scoped key.</summary>
    public static TenantEnvironment? EnvironmentOf(string rawKey) =>
        rawKey.StartsWith(LivePrefix, StringComparison.Ordinal) ? TenantEnvironment.Live
        : rawKey.StartsWith(TestPrefix, StringComparison.Ordinal) ? TenantEnvironment.Test
        : null;

    /// <summary>Key ids are UUIDs (the spec's example); anything else names no key.</summary>
    public static bool IsKeyId(string? keyId) => Guid.TryParseExact(keyId, "D", out var id) && keyId == id.ToString();

    /// <summary>The users API's ids are UUIDs: the canonical lower-case form, or null for anything that is not one.</summary>
    public static string? CanonicalUserId(string userId) => Guid.TryParse(userId, out var id) ? id.ToString() : null;

    public static void Validate(ScopedKeyCreate create)
    {
        if (string.IsNullOrWhiteSpace(create.KeyName) || create.KeyName.Length > MaxKeyName || create.KeyName.Any(char.IsControl))
        {
            throw new ValidationException("keyName", $"keyName must be 1-{MaxKeyName} characters, not blank, without control characters.");
        }

        if (create.Label is { } label && (label.Length is 0 or > MaxLabel || label.Trim().Length != label.Length || label.Any(char.IsControl)))
        {
            throw new ValidationException("label", $"label must be 1-{MaxLabel} characters without leading or trailing whitespace or control characters.");
        }

        if (string.IsNullOrEmpty(create.ContextId))
        {
            throw new ValidationException("contextId", "contextId is required.");
        }

        if (string.IsNullOrEmpty(create.UserId))
        {
            throw new ValidationException("userId", "userId is required.");
        }
    }
}
