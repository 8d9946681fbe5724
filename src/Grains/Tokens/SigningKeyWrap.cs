using System.Security.Cryptography;
using System.Text;

namespace Vectros.Grains.Tokens;

/// <summary>
/// A signing key's private half at rest: AES-256-GCM under the master key, bound to its kid (the same layout as
/// <see cref="Security.TenantKeyring"/>: nonce, tag, ciphertext), so a wrapped key cannot be moved to another row.
/// </summary>
internal static class SigningKeyWrap
{
    public static byte[] Wrap(byte[] master, byte[] key, string kid)
    {
        var output = new byte[12 + 16 + key.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(master, 16);
        aes.Encrypt(output.AsSpan(0, 12), key, output.AsSpan(28), output.AsSpan(12, 16), Purpose(kid));
        return output;
    }

    public static byte[] Unwrap(byte[] master, byte[] wrapped, string kid)
    {
        var key = new byte[wrapped.Length - 28];
        using var aes = new AesGcm(master, 16);
        aes.Decrypt(wrapped.AsSpan(0, 12), wrapped.AsSpan(28), wrapped.AsSpan(12, 16), key, Purpose(kid));
        return key;
    }

    private static byte[] Purpose(string kid) => Encoding.UTF8.GetBytes("signing|" + kid);
}
