using System.Security.Cryptography;
using NSec.Cryptography;
using Vectros.Grains.Security;

namespace Vectros.Grains.Webhooks;

/// <summary>
/// Webhook secrets in the Standard Webhooks form (<c>whsec_</c> + base64 of 32 random bytes; the bytes are the HMAC
/// key), Ed25519 key pairs (<c>whpk_</c> + base64 public key), and their sealing at rest under the tenant's data key,
/// bound to the registration so a sealed secret cannot be moved to another one.
/// </summary>
internal static class WebhookSecrets
{
    public const string SecretPrefix = "whsec_";
    public const string PublicKeyPrefix = "whpk_";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static byte[] KeyBytes(string secret) => Convert.FromBase64String(secret[SecretPrefix.Length..]);

    public static string Seal(TenantKeys keys, string registrationId, string purpose, string plaintext) =>
        keys.Encrypt(plaintext, Binding(registrationId, purpose));

    public static string Open(TenantKeys keys, string registrationId, string purpose, string sealedValue) =>
        keys.Decrypt(sealedValue, Binding(registrationId, purpose), Binding(registrationId, purpose), "webhook secret");

    /// <summary>A new Ed25519 key pair: (private seed, base64; public key, <c>whpk_</c> form).</summary>
    public static (string PrivateKey, string PublicKey) NewEd25519()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return (Convert.ToBase64String(key.Export(KeyBlobFormat.RawPrivateKey)),
            PublicKeyPrefix + Convert.ToBase64String(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
    }

    public static byte[] SignEd25519(string privateKey, ReadOnlySpan<byte> data)
    {
        using var key = Key.Import(SignatureAlgorithm.Ed25519, Convert.FromBase64String(privateKey), KeyBlobFormat.RawPrivateKey);
        return SignatureAlgorithm.Ed25519.Sign(key, data);
    }

    private static string Binding(string registrationId, string purpose) => $"webhook|{registrationId}|{purpose}";
}
