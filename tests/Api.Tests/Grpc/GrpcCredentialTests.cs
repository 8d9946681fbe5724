using System.Net;
using System.Net.Http.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Vectros.TestSupport;
using Vectros.V1;
using Xunit;

namespace Vectros.Api.Tests.Grpc;

/// <summary>
/// Credentials over gRPC (issue #12 item 2): the same authenticator and scope checks as HTTP; a missing or bad
/// credential is UNAUTHENTICATED, a denied action PERMISSION_DENIED; health and reflection need none.
/// </summary>
public sealed class GrpcCredentialTests : GrpcTestBase
{
    [Fact]
    public async Task Ping_describes_a_root_key()
    {
        var ping = await new Ping.PingClient(Channel).PingAsync(new PingRequest());
        Assert.Equal("ok", ping.Status);
        Assert.Equal(Partner.TestTenantId, ping.TenantId);
        Assert.Equal(PrincipalType.RootKey, ping.PrincipalType);
        Assert.Equal(Partner.TestKey.KeyId, ping.PrincipalKeyId);
        Assert.Equal("default", ping.ContextId);
        Assert.Empty(ping.AllowedActions);
    }

    [Fact]
    public async Task Missing_or_bad_credentials_are_unauthenticated()
    {
        using var anonymous = Server.CreateGrpcChannel();
        var none = await FailsAsync(new Ping.PingClient(anonymous).PingAsync(new PingRequest()));
        Assert.Equal(StatusCode.Unauthenticated, none.Code);
        Assert.Equal("UNAUTHORIZED", none.ErrorCode);

        using var wrong = Server.CreateGrpcChannel("sk_test_" + new string('x', 40));
        var bad = await FailsAsync(new Records.RecordsClient(wrong).GetRecordAsync(new GetRecordRequest { Id = Guid.NewGuid().ToString() }));
        Assert.Equal(StatusCode.Unauthenticated, bad.Code);
    }

    [Fact]
    public async Task A_scoped_token_is_held_to_its_actions()
    {
        await CreateSchemaAsync(new { typeName = "note", displayName = "Note" });
        var mint = await Client.PostAsJsonAsync("/v1/auth/token", new { scope = new { allowedActions = new[] { "records:r:note" } } });
        Assert.True(mint.IsSuccessStatusCode, await mint.Content.ReadAsStringAsync());
        var token = (await JsonAsync(mint)).GetProperty("token").GetString()!;
        using var channel = Server.CreateGrpcChannel(token);
        var records = new Records.RecordsClient(channel);

        var ping = await new Ping.PingClient(channel).PingAsync(new PingRequest());
        Assert.Equal(PrincipalType.Token, ping.PrincipalType);
        Assert.Contains("records:r:note", ping.AllowedActions);
        Assert.NotNull(ping.TokenExpiresAt);

        var denied = await FailsAsync(records.CreateRecordAsync(new CreateRecordRequest
        {
            Record = new RecordFields { TypeName = "note", Payload = Struct.Parser.ParseJson("""{"text":"x"}""") },
        }));
        Assert.Equal(StatusCode.PermissionDenied, denied.Code);

        var created = await JsonAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { text = "hi" } }));
        var read = await records.GetRecordAsync(new GetRecordRequest { Id = created.GetProperty("id").GetString()! });
        Assert.Equal("hi", read.Payload.Fields["text"].StringValue);
    }

    [Fact]
    public async Task Write_rate_limit_is_resource_exhausted()
    {
        await using var db = await TestDatabase.CreateAsync("grpc-rate");
        await using var server = await VectrosTestServer.StartAsync(db.ConnectionString, new Dictionary<string, string?>
        {
            ["Vectros:RateLimit:PermitsPerMinute"] = "2",
        });
        var partner = await server.CreatePartnerAsync("grpc-rate");
        using var channel = server.CreateGrpcChannel(partner.TestKey.RawKey);
        var records = new Records.RecordsClient(channel);
        var codes = new List<StatusCode>();
        for (var i = 0; i < 3; i++)
        {
            try
            {
                await records.DeleteRecordAsync(new DeleteRecordRequest { Id = Guid.NewGuid().ToString() });
                codes.Add(StatusCode.OK);
            }
            catch (RpcException e)
            {
                codes.Add(e.StatusCode);
            }
        }

        Assert.Equal([StatusCode.NotFound, StatusCode.NotFound, StatusCode.ResourceExhausted], codes);
        // Reads are not writes: they are not counted, as GETs are not over HTTP.
        var read = await FailsAsync(records.GetRecordAsync(new GetRecordRequest { Id = Guid.NewGuid().ToString() }));
        Assert.Equal(StatusCode.NotFound, read.Code);
    }

    [Fact]
    public async Task Unknown_services_and_methods_are_unimplemented()
    {
        var empty = Marshallers.Create(_ => [], _ => new Empty());
        foreach (var (service, method) in new[] { ("vectros.v1.Nope", "Get"), ("vectros.v1.Records", "Nope") })
        {
            var call = Channel.CreateCallInvoker().AsyncUnaryCall(
                new Method<Empty, Empty>(MethodType.Unary, service, method, empty, empty), null, new CallOptions(), new Empty());
            var failure = await FailsAsync(call);
            Assert.Equal(StatusCode.Unimplemented, failure.Code);
        }
    }

    [Fact]
    public async Task Health_answers_serving_without_a_credential()
    {
        using var anonymous = Server.CreateGrpcChannel();
        var health = await new Health.HealthClient(anonymous).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task The_front_doors_stay_apart()
    {
        // The HTTP API is not served on the gRPC port, nor gRPC on the HTTP port.
        using var h2 = new HttpClient { BaseAddress = Server.GrpcAddress, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var onGrpcPort = await h2.GetAsync("/v1/ping");
        Assert.Equal(HttpStatusCode.NotFound, onGrpcPort.StatusCode);

        var grpcOnHttpPort = await Client.PostAsync("/vectros.v1.Ping/Ping", new ByteArrayContent([0, 0, 0, 0, 0])
        {
            Headers = { ContentType = new("application/grpc") },
        });
        Assert.Equal("5", grpcOnHttpPort.Headers.GetValues("grpc-status").Single());
    }
}
