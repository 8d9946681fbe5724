using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using Vectros.TestSupport;

namespace Vectros.Api.Tests;

/// <summary>
/// Signs arbitrary <c>st_</c> payloads, either with the server's own active key (unwrapped from
/// <c>signing_keys</c> with the test master key) or with a stranger's key: how the tests build expired, foreign and
/// forged tokens that the mint endpoint would never issue.
/// </summary>
internal static class TokenForge
{
    public static async Task<(string Kid, ECDsa Key)> ServerKeyAsync(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand("SELECT kid, private_key_enc FROM signing_keys WHERE retired_at IS NULL");
        await using var reader = await cmd.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            throw new InvalidOperationException("No active signing key: mint a token first.");
        }

        var kid = reader.GetString(0);
        var wrapped = reader.GetFieldValue<byte[]>(1);
        var plain = new byte[wrapped.Length - 28];
        using var aes = new AesGcm(Convert.FromBase64String(VectrosTestServer.MasterKey), 16);
        aes.Decrypt(wrapped.AsSpan(0, 12), wrapped.AsSpan(28), wrapped.AsSpan(12, 16), plain, Encoding.UTF8.GetBytes("signing|" + kid));
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(plain, out _);
        return (kid, key);
    }

    public static string Sign(ECDsa key, string kid, object payload, string typ = "st+jwt")
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "ES256", ["kid"] = kid, ["typ"] = typ });
        var input = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload));
        return "st_" + input + "." + Base64Url.EncodeToString(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }

    /// <summary>An <c>alg: none</c> token under a real kid: must never pass as signed.</summary>
    public static string Unsigned(string kid, object payload)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "none", ["kid"] = kid, ["typ"] = "st+jwt" });
        return "st_" + Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload)) + ".";
    }

    /// <summary>A payload like the server's, for <paramref name="tenantId"/>, expiring at <paramref name="exp"/>.</summary>
    public static Dictionary<string, object?> Payload(string tenantId, DateTimeOffset exp, string environment = "test") => new()
    {
        ["iss"] = "vectros",
        ["aud"] = "vectros-api",
        ["iat"] = exp.AddMinutes(-10).ToUnixTimeSeconds(),
        ["nbf"] = exp.AddMinutes(-10).ToUnixTimeSeconds(),
        ["exp"] = exp.ToUnixTimeSeconds(),
        ["jti"] = Guid.NewGuid().ToString(),
        ["tenantId"] = tenantId,
        ["environment"] = environment,
        ["contextId"] = "default",
        ["allowedActions"] = new[] { "schemas:r" },
        ["dataScope"] = new Dictionary<string, string[]>(),
        ["identity"] = new Dictionary<string, string>(),
        ["mintedBy"] = "forge",
    };

    /// <summary>Replaces the payload of a signed token, keeping header and signature (a tampered token).</summary>
    public static string WithPayload(string token, object payload)
    {
        var parts = token["st_".Length..].Split('.');
        return "st_" + parts[0] + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload)) + "." + parts[2];
    }

    public static JsonElement ReadPayload(string token) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(token["st_".Length..].Split('.')[1])).RootElement;

    public static JsonElement ReadHeader(string token) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(token["st_".Length..].Split('.')[0])).RootElement;
}
