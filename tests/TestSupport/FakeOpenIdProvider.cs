using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vectros.TestSupport;

/// <summary>
/// An OpenID provider of the tests' own on loopback Kestrel: an RSA key (RS256) and an EC key (ES256), the discovery
/// document and the JWKS, and ID tokens signed by them. Keys can be added later (rotation) and tokens forged
/// (tampered, signed by a key it never published) to exercise every refusal of the exchange.
/// </summary>
public sealed class FakeOpenIdProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<(string Kid, AsymmetricAlgorithm Key)> _published = [];

    private FakeOpenIdProvider(WebApplication app, string issuer)
    {
        _app = app;
        Issuer = issuer;
    }

    /// <summary>The provider's base URL, which is its <c>iss</c>.</summary>
    public string Issuer { get; }

    public string JwksUri => Issuer + "/jwks";

    /// <summary>How many times the JWKS was fetched (for the cache and unknown-kid refetch).</summary>
    public int JwksFetches;

    public string RsaKid => _published[0].Kid;

    public string EcKid => _published[1].Kid;

    public static async Task<FakeOpenIdProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeOpenIdProvider? self = null;
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = self!.Issuer,
            ["jwks_uri"] = self.JwksUri,
            ["id_token_signing_alg_values_supported"] = new[] { "RS256", "ES256" },
        }));
        app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref self!.JwksFetches);
            lock (self._published)
            {
                return Results.Json(new { keys = self._published.Select(p => Jwk(p.Kid, p.Key)).ToList() });
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        self = new FakeOpenIdProvider(app, address);
        self.Publish(RSA.Create(2048));
        self.Publish(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        return self;
    }

    /// <summary>Publishes a new key (a rotation); its kid is returned.</summary>
    public string Publish(AsymmetricAlgorithm key)
    {
        var kid = "k-" + Guid.NewGuid().ToString("N")[..10];
        lock (_published)
        {
            _published.Add((kid, key));
        }

        return kid;
    }

    /// <summary>An ID token with the usual claims; <paramref name="claims"/> adds or overrides (null removes).</summary>
    public string IdToken(string audience, string subject, string? email = null, TimeSpan? lifetime = null,
        Dictionary<string, object?>? claims = null, bool ec = false)
    {
        var (kid, key) = ec ? _published[1] : _published[0];
        return Sign(kid, key, Claims(audience, subject, email, lifetime, claims));
    }

    public Dictionary<string, object?> Claims(string audience, string subject, string? email = null, TimeSpan? lifetime = null,
        Dictionary<string, object?>? claims = null)
    {
        var now = DateTimeOffset.UtcNow;
        var payload = new Dictionary<string, object?>
        {
            ["iss"] = Issuer,
            ["aud"] = audience,
            ["sub"] = subject,
            ["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = now.Add(lifetime ?? TimeSpan.FromMinutes(10)).ToUnixTimeSeconds(),
        };
        if (email is not null)
        {
            payload["email"] = email;
        }

        foreach (var (name, value) in claims ?? [])
        {
            payload[name] = value;
        }

        foreach (var name in payload.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            payload.Remove(name);
        }

        return payload;
    }

    /// <summary>Signs any payload with any key under any kid (RS256 for RSA, ES256 for EC).</summary>
    public static string Sign(string kid, AsymmetricAlgorithm key, object payload)
    {
        var alg = key is RSA ? "RS256" : "ES256";
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = alg, ["kid"] = kid, ["typ"] = "JWT" });
        var input = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload));
        var data = Encoding.ASCII.GetBytes(input);
        var signature = key is RSA rsa
            ? rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : ((ECDsa)key).SignData(data, HashAlgorithmName.SHA256);
        return input + "." + Base64Url.EncodeToString(signature);
    }

    private static Dictionary<string, string> Jwk(string kid, AsymmetricAlgorithm key)
    {
        if (key is RSA rsa)
        {
            var p = rsa.ExportParameters(false);
            return new() { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = kid, ["n"] = Base64Url.EncodeToString(p.Modulus), ["e"] = Base64Url.EncodeToString(p.Exponent) };
        }

        var ec = ((ECDsa)key).ExportParameters(false);
        return new() { ["kty"] = "EC", ["use"] = "sig", ["alg"] = "ES256", ["crv"] = "P-256", ["kid"] = kid, ["x"] = Base64Url.EncodeToString(ec.Q.X), ["y"] = Base64Url.EncodeToString(ec.Q.Y) };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
