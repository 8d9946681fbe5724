using System.Security.Cryptography;
using System.Text;

namespace Vectros.Grains.Security;

/// <summary>
/// One tenant's keys: AES-256-GCM for sensitive values at rest, HMAC-SHA256 for their blind index. The
/// associated data binds a ciphertext to its place (tenant, type, field), so it cannot be moved elsewhere.
/// </summary>
public sealed class TenantKeys(byte[] dataKey, byte[] blindKey)
{
    private const string Prefix = "v1.";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public string Encrypt(string plaintext, string associatedData)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + TagSize + plain.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(dataKey, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(associatedData));
        return Prefix + Convert.ToBase64String(output);
    }

    public string Decrypt(string ciphertext, string associatedData)
    {
        if (!ciphertext.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new CryptographicException("Unknown ciphertext format.");
        }

        var input = Convert.FromBase64String(ciphertext[Prefix.Length..]);
        var plain = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(dataKey, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(associatedData));
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>Keyed, deterministic index of a value: equal values match, the value itself cannot be recovered.</summary>
    public string BlindIndex(string scope, string canonicalValue) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(blindKey, Encoding.UTF8.GetBytes(scope + "\0" + canonicalValue)));
}
