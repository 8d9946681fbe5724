using System.Security.Cryptography;
using Vectros.Grains.Abstractions.Accounts;

namespace Vectros.Grains.Accounts;

/// <summary>Mints root keys and tenant ids. Keys carry 32 random bytes (issue #2: at least 32).</summary>
internal static class RootKeyFactory
{
    public static string Prefix(TenantEnvironment environment) =>
        environment == TenantEnvironment.Live ? "sk_live_" : "sk_test_";

    public static (string KeyId, string RawKey, byte[] Hash) NewKey(TenantEnvironment environment)
    {
        var raw = Prefix(environment) + Base64Url(RandomNumberGenerator.GetBytes(32));
        var keyId = "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        return (keyId, raw, CredentialHash.Sha256(raw));
    }

    public static string NewTenantId(TenantEnvironment environment) =>
        (environment == TenantEnvironment.Live ? "ten_live_" : "ten_test_")
        + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static string EnvironmentName(TenantEnvironment environment) =>
        environment == TenantEnvironment.Live ? "live" : "test";

    public static TenantEnvironment ParseEnvironment(string name) =>
        name == "live" ? TenantEnvironment.Live : TenantEnvironment.Test;

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
