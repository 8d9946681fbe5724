using System.Security.Cryptography;
using System.Text;

namespace Vectros.Grains.Abstractions.Accounts;

/// <summary>
/// Credentials are stored and looked up only as SHA-256 of their raw text. The keys carry 256 random bits,
/// so a fast unsalted hash is enough (there is nothing to brute-force), and the raw key never leaves the edge.
/// </summary>
public static class CredentialHash
{
    public static byte[] Sha256(string rawCredential) => SHA256.HashData(Encoding.UTF8.GetBytes(rawCredential));
}
