using System.Security.Cryptography;
using System.Text;

namespace Vectros.Grains.Security;

/// <summary>
/// The configured master keys: the current one (wraps every new or re-wrapped tenant key) and the previous ones (still
/// unwrap during a rotation). Wrapping is AES-256-GCM with the tenant id and purpose as associated data.
/// </summary>
public sealed class MasterKeys
{
    private MasterKeys(byte[] current, IReadOnlyList<byte[]> previous)
    {
        Current = current;
        CurrentId = IdOf(current);
        All = [(CurrentId, current), .. previous.Select(k => (IdOf(k), k))];
    }

    public byte[] Current { get; }

    /// <summary>A non-secret name of the current key (stored beside each wrapped tenant key).</summary>
    public string CurrentId { get; }

    /// <summary>Current first, then the previous keys in configuration order.</summary>
    public IReadOnlyList<(string Id, byte[] Key)> All { get; }

    public static MasterKeys From(SecurityOptions options)
    {
        if (!SecurityOptions.TryDecode(options.MasterKey, out var current))
        {
            throw new InvalidOperationException("Vectros:Security:MasterKey is not configured.");
        }

        var previous = new List<byte[]>();
        foreach (var value in options.PreviousMasterKeys ?? [])
        {
            previous.Add(SecurityOptions.TryDecode(value, out var key)
                ? key
                : throw new InvalidOperationException("Vectros:Security:PreviousMasterKeys holds a value that is not base64 of 32 bytes."));
        }

        return new MasterKeys(current, previous);
    }

    public static string IdOf(byte[] master) =>
        "m" + Convert.ToHexStringLower(HMACSHA256.HashData(master, "vectros master key id"u8))[..8];

    /// <summary>Unwraps with the key the row names, or (no or unknown id) with each configured key in turn.</summary>
    public byte[] Unwrap(byte[] wrapped, string purpose, string? masterKeyId)
    {
        foreach (var (id, key) in All.OrderBy(k => k.Id == masterKeyId ? 0 : 1))
        {
            try
            {
                return UnwrapWith(key, wrapped, purpose);
            }
            catch (CryptographicException)
            {
                // Not this key: try the next one.
            }
        }

        throw new CryptographicException("No configured master key unwraps this tenant key (is Vectros:Security:PreviousMasterKeys missing the old key?).");
    }

    public byte[] Wrap(byte[] key, string purpose)
    {
        var output = new byte[12 + 16 + key.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(Current, 16);
        aes.Encrypt(output.AsSpan(0, 12), key, output.AsSpan(28), output.AsSpan(12, 16), Encoding.UTF8.GetBytes(purpose));
        return output;
    }

    private static byte[] UnwrapWith(byte[] master, byte[] wrapped, string purpose)
    {
        var key = new byte[wrapped.Length - 28];
        using var aes = new AesGcm(master, 16);
        aes.Decrypt(wrapped.AsSpan(0, 12), wrapped.AsSpan(28), wrapped.AsSpan(12, 16), key, Encoding.UTF8.GetBytes(purpose));
        return key;
    }
}
