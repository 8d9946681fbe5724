using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Vectros.ApiFrontend;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Security;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Signed file URLs name the configured public base URL, else the request's own scheme and host.</summary>
public sealed class FileUrlBaseTests
{
    private static readonly UploadTicket _ticket = new(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow.AddHours(1), 1024);

    [Fact]
    public void Without_a_public_base_url_the_request_host_is_used()
    {
        var url = Urls(null).UploadUrl(Request(), "t", "default", _ticket, "text/plain");
        Assert.StartsWith("http://api.internal:8080/files/uploads/", url, StringComparison.Ordinal);
    }

    [Fact]
    public void A_public_base_url_replaces_the_request_host_and_the_token_still_opens()
    {
        var urls = Urls("https://vectros.example.com/");
        var url = urls.UploadUrl(Request(), "t", "default", _ticket, "text/plain");
        Assert.StartsWith("https://vectros.example.com/files/uploads/", url, StringComparison.Ordinal);
        var grant = urls.OpenUpload(url[(url.LastIndexOf('/') + 1)..]);
        Assert.Equal(_ticket.DocumentId, grant.DocumentId);
    }

    private static FileUrls Urls(string? publicBase) => new(
        Options.Create(new SecurityOptions { MasterKey = VectrosTestServer.MasterKey }),
        Options.Create(new ApiOptions { PublicBaseUrl = publicBase }),
        TimeProvider.System);

    private static HttpRequest Request()
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("api.internal", 8080);
        return context.Request;
    }
}
