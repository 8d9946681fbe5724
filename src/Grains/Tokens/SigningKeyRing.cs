using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vectros.Grains.Abstractions.Tokens;
using Vectros.Grains.Security;

namespace Vectros.Grains.Tokens;

/// <summary>
/// One silo's view of the platform signing keys: read from <c>signing_keys</c> and trusted for
/// <see cref="TokenSigningOptions.RefreshInterval"/>, so every silo signs with the key the database calls active
/// (cluster-safe without any coordination beyond the table). Creates the first key, and rotates an over-age one,
/// on the first read that finds it missing or due.
/// </summary>
public sealed partial class SigningKeyRing(
    Npgsql.NpgsqlDataSource dataSource,
    IOptions<TokenSigningOptions> options,
    IOptions<SecurityOptions> security,
    TimeProvider time,
    ILogger<SigningKeyRing> logger)
{
    /// <summary>Slack beyond a token's expiry (clock skew between silos and verifiers).</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private readonly SigningKeyStore _store = new(dataSource);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot? _snapshot;

    /// <summary>The keys verifiers must accept, newest first.</summary>
    public async ValueTask<PublishedSigningKeys> GetPublishedAsync() => (await CurrentAsync()).Published;

    /// <summary>Signs <paramref name="payload"/> (a JSON object) as a compact JWS with the active key.</summary>
    public async ValueTask<string> SignAsync(byte[] payload, string type)
    {
        var active = (await CurrentAsync()).Active;
        var header = JsonSerializer.SerializeToUtf8Bytes(new JoseHeader(ScopedTokenClaims.Algorithm, active.Kid, type));
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);

        // .NET's ECDSA signature is the IEEE P1363 r||s pair that JWS (RFC 7518 §3.4) requires.
        var signature = active.Key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>Retires the active key now (its public key stays published) and activates a new one.</summary>
    public async Task<string> RotateAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await _store.RotateAsync(NewKey(), force: true, retireKid: null, PublishFor);
            _snapshot = null;
            var snapshot = await LoadAsync();
            LogRotated(logger, snapshot.Active.Kid);
            return snapshot.Active.Kid;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A retired key signed its last token at most one refresh interval after retirement (silos still holding it),
    /// and that token lives at most <see cref="ScopedTokenClaims.MaxLifetime"/>.
    /// </summary>
    private TimeSpan PublishFor => ScopedTokenClaims.MaxLifetime + options.Value.RefreshInterval + ClockSkew;

    private async ValueTask<Snapshot> CurrentAsync()
    {
        var snapshot = _snapshot;
        if (snapshot is not null && time.GetUtcNow() < snapshot.FetchedAt + options.Value.RefreshInterval)
        {
            return snapshot;
        }

        await _gate.WaitAsync();
        try
        {
            snapshot = _snapshot;
            return snapshot is not null && time.GetUtcNow() < snapshot.FetchedAt + options.Value.RefreshInterval
                ? snapshot
                : await LoadAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Snapshot> LoadAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            var rows = await _store.LoadPublishedAsync();
            var active = rows.FirstOrDefault(r => r.PublishUntil is null);
            var key = active is null ? null : TryUnwrap(active);

            // A due key is replaced once; should the database's clock disagree that it is due, keep signing with it.
            var due = active is not null && active.RetireAfter <= time.GetUtcNow() && attempt == 0;
            if (active is not null && key is not null && !due)
            {
                var snapshot = new Snapshot(time.GetUtcNow(), new ActiveKey(active.Kid, key), Publish(rows));
                _snapshot = snapshot;
                return snapshot;
            }

            if (attempt == 2)
            {
                throw new InvalidOperationException("No usable token signing key could be activated.");
            }

            // No key yet, a due one, or one whose private half does not unwrap (the master key changed under it):
            // activate a new key; the old one stays published so its tokens keep verifying.
            await _store.RotateAsync(NewKey(), force: false, retireKid: key is null ? active?.Kid : null, PublishFor);
        }
    }

    private ECDsa? TryUnwrap(SigningKeyRow row)
    {
        if (_snapshot is { } current && current.Active.Kid == row.Kid)
        {
            return current.Active.Key;
        }

        if (row.PrivateKeyEnc is null || !SecurityOptions.TryDecode(security.Value.MasterKey, out var master))
        {
            return null;
        }

        try
        {
            var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(SigningKeyWrap.Unwrap(master, row.PrivateKeyEnc, row.Kid), out _);
            return key;
        }
        catch (CryptographicException)
        {
            LogUnwrapFailed(logger, row.Kid);
            return null;
        }
    }

    private PublishedSigningKeys Publish(IReadOnlyList<SigningKeyRow> rows) =>
        new(options.Value.Issuer, ScopedTokenClaims.Audience, rows.Select(r =>
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(r.PublicKey, out _);
            var q = key.ExportParameters(false).Q;
            return new PublishedSigningKey(r.Kid, Base64Url.EncodeToString(q.X), Base64Url.EncodeToString(q.Y), r.ActivatedAt, r.PublishUntil);
        }).ToList());

    private NewSigningKey NewKey()
    {
        if (!SecurityOptions.TryDecode(security.Value.MasterKey, out var master))
        {
            throw new InvalidOperationException("Vectros:Security:MasterKey is not configured.");
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kid = $"vk_{time.GetUtcNow():yyyyMMdd}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        return new NewSigningKey(kid, key.ExportSubjectPublicKeyInfo(), SigningKeyWrap.Wrap(master, key.ExportPkcs8PrivateKey(), kid),
            options.Value.RotationPeriod);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Token signing key rotated; {Kid} is now active")]
    private static partial void LogRotated(ILogger logger, string kid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Token signing key {Kid} cannot be unwrapped with the master key; rotating to a new key")]
    private static partial void LogUnwrapFailed(ILogger logger, string kid);

    private sealed record JoseHeader(
        [property: System.Text.Json.Serialization.JsonPropertyName("alg")] string Alg,
        [property: System.Text.Json.Serialization.JsonPropertyName("kid")] string Kid,
        [property: System.Text.Json.Serialization.JsonPropertyName("typ")] string Typ);

    private sealed record ActiveKey(string Kid, ECDsa Key);

    private sealed record Snapshot(DateTimeOffset FetchedAt, ActiveKey Active, PublishedSigningKeys Published);
}
