using System.Security.Cryptography;
using System.Text;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Security;

/// <summary>
/// One tenant's keys: AES-256-GCM for sensitive values at rest, HMAC-SHA256 for their blind index. The associated data
/// binds a ciphertext to its place (<see cref="CipherBinding"/>), so it cannot be moved elsewhere.
/// </summary>
public sealed class TenantKeys
{
    private const string LegacyPrefix = "v1.";
    private const string Prefix = "v2.";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _dataKey;
    private readonly byte[] _blindKey;

    public TenantKeys(byte[] dataKey, byte[] blindKey)
    {
        _dataKey = dataKey;
        _blindKey = blindKey;

        // Names the data key inside each ciphertext (v2.<keyId>.<data>) without revealing anything about it, so a value
        // sealed under another key (a future data-key rotation, a restore mix-up) is recognised as such.
        KeyId = "k" + Convert.ToHexStringLower(HMACSHA256.HashData(dataKey, "vectros key id"u8))[..8];
    }

    public string KeyId { get; }

    public string Encrypt(string plaintext, string associatedData) =>
        $"{Prefix}{KeyId}.{Seal(plaintext, associatedData)}";

    /// <summary>
    /// Opens a value sealed for <paramref name="associatedData"/> (or, for the old <c>v1.</c> format, for
    /// <paramref name="legacyAssociatedData"/>). A value that fails (moved, altered, another key) is an integrity fault:
    /// <see cref="IntegrityFault"/>, never its plaintext or a decryption error's detail.
    /// </summary>
    public string Decrypt(string ciphertext, string associatedData, string legacyAssociatedData, string field)
    {
        try
        {
            if (ciphertext.StartsWith(Prefix, StringComparison.Ordinal))
            {
                var rest = ciphertext.AsSpan(Prefix.Length);
                var dot = rest.IndexOf('.');
                if (dot < 0 || !rest[..dot].SequenceEqual(KeyId))
                {
                    throw IntegrityFault(field);
                }

                return Open(rest[(dot + 1)..].ToString(), associatedData);
            }

            if (ciphertext.StartsWith(LegacyPrefix, StringComparison.Ordinal))
            {
                return Open(ciphertext[LegacyPrefix.Length..], legacyAssociatedData);
            }
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            throw IntegrityFault(field);
        }

        throw IntegrityFault(field);
    }

    /// <summary>Keyed, deterministic index of a value: equal values match, the value itself cannot be recovered.</summary>
    public string BlindIndex(string scope, string canonicalValue) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_blindKey, Encoding.UTF8.GetBytes(scope + "\0" + canonicalValue)));

    /// <summary>
    /// How an integrity fault surfaces: 409 <c>INTEGRITY_ERROR</c> naming the field, on the reads that decrypt (the
    /// reveal grant) and on edits that must merge the old value. Masked reads never decrypt and are unaffected.
    /// </summary>
    public static ConflictException IntegrityFault(string field) =>
        new("INTEGRITY_ERROR", $"The stored value of sensitive field '{field}' failed its integrity check and was not decrypted.");

    private string Seal(string plaintext, string associatedData)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + TagSize + plain.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_dataKey, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(associatedData));
        return Convert.ToBase64String(output);
    }

    private string Open(string sealedBase64, string associatedData)
    {
        var input = Convert.FromBase64String(sealedBase64);
        if (input.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("Truncated ciphertext.");
        }

        var plain = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_dataKey, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(associatedData));
        return Encoding.UTF8.GetString(plain);
    }
}
