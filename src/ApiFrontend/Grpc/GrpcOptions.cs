using System.ComponentModel.DataAnnotations;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>The internal gRPC endpoint (issue #12 item 3), bound from <c>Vectros:Grpc</c>.</summary>
public sealed class GrpcOptions
{
    public const string Section = "Vectros:Grpc";

    /// <summary>Off, only the HTTP API is served.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// <c>address:port</c> of the HTTP/2-only listener. Loopback by default: the gRPC API is for services inside the
    /// perimeter; bind a private interface (or <c>0.0.0.0</c> with TLS) to reach it from other hosts. Port 0 picks a
    /// free port (tests).
    /// </summary>
    [Required]
    [RegularExpression(@"^(\*|\[[0-9A-Fa-f:.]+\]|[0-9.]+|localhost):[0-9]{1,5}$",
        ErrorMessage = "Vectros:Grpc:Endpoint must be address:port, e.g. 127.0.0.1:8081, 0.0.0.0:8081, [::1]:8081 or *:8081.")]
    public string Endpoint { get; set; } = "127.0.0.1:8081";

    /// <summary>A PKCS#12 (.pfx) certificate: set, the listener speaks TLS (ALPN h2); unset, HTTP/2 over cleartext.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The certificate's password; never logged.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>gRPC server reflection (service and message descriptions for tools such as grpcurl).</summary>
    public bool Reflection { get; set; } = true;

    /// <summary>Largest request message accepted, as the HTTP API's body limit.</summary>
    [Range(1024, 1 << 30)]
    public int MaxReceiveMessageBytes { get; set; } = 4 << 20;
}
