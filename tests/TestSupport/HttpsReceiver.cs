using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Vectros.TestSupport;

/// <summary>One request the receiver got.</summary>
public sealed record ReceivedWebhook(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset At)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A webhook receiver of the tests' own: Kestrel on 127.0.0.1 over HTTPS with a self-signed certificate made at start
/// (names <c>localhost</c> and <c>*.vectros.test</c>), trusted only by servers given its <see cref="Thumbprint"/>.
/// Records every request; <see cref="Respond"/> scripts the answer (200 by default).
/// </summary>
public sealed class HttpsReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    private HttpsReceiver(WebApplication app, int port, string thumbprint)
    {
        _app = app;
        Port = port;
        Thumbprint = thumbprint;
    }

    public int Port { get; }

    /// <summary>SHA-256 of the certificate (hex), for <c>Vectros:Webhooks:TrustedCertificateThumbprints</c>.</summary>
    public string Thumbprint { get; }

    /// <summary>Answers each request: status code and extra response headers. Default 200.</summary>
    public Func<ReceivedWebhook, (int Status, IReadOnlyDictionary<string, string>? Headers)> Respond { get; set; } = _ => (200, null);

    public IReadOnlyList<ReceivedWebhook> Received => _received.ToArray();

    public static async Task<HttpsReceiver> StartAsync()
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        HttpsReceiver? self = null;
        app.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            var received = new ReceivedWebhook(
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
                buffer.ToArray(),
                DateTimeOffset.UtcNow);
            self!._received.Enqueue(received);
            var (status, headers) = self.Respond(received);
            context.Response.StatusCode = status;
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }
        });
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        self = new HttpsReceiver(app, port, Convert.ToHexString(SHA256.HashData(certificate.RawData)));
        return self;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests arrived (times out after <paramref name="within"/>).</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan? within = null)
    {
        await Poll.UntilAsync(() => _received.Count >= count, $"{count} webhook requests at the receiver", within ?? TimeSpan.FromSeconds(30));
        return Received;
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=vectros-test-receiver", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName("*.vectros.test");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Kestrel on Linux needs the key in an exportable, re-imported form.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
