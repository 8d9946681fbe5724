using System.ComponentModel.DataAnnotations;

namespace Vectros.Grains.Security;

/// <summary>Bound from <c>Vectros:Security</c>. The master key only wraps per-tenant keys; it is never logged.</summary>
public sealed class SecurityOptions : IValidatableObject
{
    public const string Section = "Vectros:Security";

    /// <summary>Base64 of 32 random bytes (e.g. <c>openssl rand -base64 32</c>). <c>./vectros up</c> generates one.</summary>
    public string? MasterKey { get; set; }

    /// <summary>
    /// Master keys being rotated away from: they still unwrap tenant keys until <c>./vectros admin rotate-keys</c> has
    /// re-wrapped every row under <see cref="MasterKey"/>; then they can be removed.
    /// </summary>
    public string[]? PreviousMasterKeys { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TryDecode(MasterKey, out _))
        {
            yield return new ValidationResult(
                "Vectros:Security:MasterKey must be the base64 encoding of 32 random bytes (openssl rand -base64 32).",
                [nameof(MasterKey)]);
        }

        foreach (var previous in PreviousMasterKeys ?? [])
        {
            if (!TryDecode(previous, out _))
            {
                yield return new ValidationResult(
                    "Each Vectros:Security:PreviousMasterKeys entry must be the base64 encoding of 32 bytes.", [nameof(PreviousMasterKeys)]);
            }
        }
    }

    /// <summary>
    /// A 32-byte key of its own for one <paramref name="purpose"/> (HKDF-SHA256 from the master key), so nothing signed or
    /// sealed for one use can be mistaken for another; null when the master key is missing or malformed.
    /// </summary>
    public static byte[]? DeriveKey(string? masterKey, byte[] purpose) =>
        TryDecode(masterKey, out var master) ? System.Security.Cryptography.HKDF.DeriveKey(System.Security.Cryptography.HashAlgorithmName.SHA256, master, 32, salt: [], info: purpose) : null;

    internal static bool TryDecode(string? value, out byte[] key)
    {
        key = [];
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        try
        {
            key = Convert.FromBase64String(value.Trim());
            return key.Length == 32;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
