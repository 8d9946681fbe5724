using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Vectros.TestSupport;
using Vectros.V1;
using Xunit;

namespace Vectros.Api.Tests.Grpc;

/// <summary>
/// Serving (issue #12 item 3): TLS by configuration (<c>Vectros:Grpc:CertificatePath</c>/<c>CertificatePassword</c>),
/// and <c>Vectros:Grpc:Enabled=false</c> leaving only the HTTP API. Each test starts a server of its own.
/// </summary>
public sealed class GrpcTlsTests
{
    private const string Password = "grpc-tls-test-password";

    [Fact]
    public async Task Ping_over_tls_with_a_channel_that_trusts_only_the_servers_certificate()
    {
        using var certificate = CreateCertificate();
        var pfx = Path.Combine(Path.GetTempPath(), $"vectros-grpc-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, Password));
        try
        {
            await using var db = await TestDatabase.CreateAsync("grpc-tls");
            await using var server = await VectrosTestServer.StartAsync(db.ConnectionString, new Dictionary<string, string?>
            {
                ["Vectros:Grpc:CertificatePath"] = pfx,
                ["Vectros:Grpc:CertificatePassword"] = Password,
            });
            var partner = await server.CreatePartnerAsync("grpc-tls");
            Assert.Equal("https", server.GrpcAddress!.Scheme);
            var bearer = new Metadata { { "authorization", $"Bearer {partner.TestKey.RawKey}" } };

            using (var trusting = Channel(server.GrpcAddress, TrustOnly(certificate)))
            {
                var ping = await new Ping.PingClient(trusting).PingAsync(new PingRequest(), bearer);
                Assert.Equal("ok", ping.Status);
                Assert.Equal(partner.TestTenantId, ping.TenantId);
            }

            // The machine's trust store does not know the self-signed certificate: the handshake is refused.
            using (var systemTrust = Channel(server.GrpcAddress, null))
            {
                var e = await Assert.ThrowsAsync<RpcException>(async () =>
                    await new Ping.PingClient(systemTrust).PingAsync(new PingRequest(), bearer));
                Assert.NotEqual(StatusCode.OK, e.StatusCode);
                Assert.True(Causes(e.Status.DebugException).Any(c => c is AuthenticationException), $"expected a refused handshake: {e}");
            }

            // Cleartext HTTP/2 to the TLS port gets no gRPC answer.
            using (var cleartext = GrpcChannel.ForAddress(new UriBuilder(server.GrpcAddress) { Scheme = "http" }.Uri))
            {
                var e = await Assert.ThrowsAsync<RpcException>(async () =>
                    await new Ping.PingClient(cleartext).PingAsync(new PingRequest(), bearer, deadline: DateTime.UtcNow.AddSeconds(10)));
                Assert.NotEqual(StatusCode.OK, e.StatusCode);
            }
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    [Fact]
    public async Task Disabled_grpc_serves_no_listener_while_http_works()
    {
        await using var db = await TestDatabase.CreateAsync("grpc-off");
        await using var server = await VectrosTestServer.StartAsync(db.ConnectionString, new Dictionary<string, string?>
        {
            ["Vectros:Grpc:Enabled"] = "false",
        });
        Assert.Null(server.GrpcAddress);
        // Kestrel listens on the HTTP URL only.
        var addresses = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Assert.Equal([server.BaseAddress.ToString().TrimEnd('/')], addresses.Select(a => a.TrimEnd('/')));

        var partner = await server.CreatePartnerAsync("grpc-off");
        using var client = server.CreateClient(partner.TestKey.RawKey);
        var ping = await client.GetAsync("/v1/ping");
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);

        // No gRPC service is mapped anywhere: a gRPC call on the HTTP port is not answered by one.
        using var h2c = GrpcChannel.ForAddress(server.BaseAddress);
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Ping.PingClient(h2c).PingAsync(new PingRequest(),
                new Metadata { { "authorization", $"Bearer {partner.TestKey.RawKey}" } }, deadline: DateTime.UtcNow.AddSeconds(10)));
        Assert.NotEqual(StatusCode.OK, e.StatusCode);
    }

    private static IEnumerable<Exception> Causes(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private static GrpcChannel Channel(Uri address, RemoteCertificateValidationCallback? validate)
    {
        var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = validate } };
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler });
    }

    /// <summary>Accepts a chain that ends in <paramref name="trusted"/> and names the host, and nothing else.</summary>
    private static RemoteCertificateValidationCallback TrustOnly(X509Certificate2 trusted) => (_, certificate, _, errors) =>
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(presented);
    };

    /// <summary>Self-signed for 127.0.0.1 and localhost, as <see cref="HttpsReceiver"/> makes its own.</summary>
    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=vectros-grpc-test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}
