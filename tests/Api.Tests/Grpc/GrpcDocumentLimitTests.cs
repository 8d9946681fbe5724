using Google.Protobuf;
using Grpc.Core;
using Npgsql;
using Vectros.TestSupport;
using Vectros.V1;
using Xunit;

namespace Vectros.Api.Tests.Grpc;

/// <summary>
/// The upload bound over gRPC, on a server that accepts files of 4 KiB at most (<see cref="DiskStoreServerFixture"/>):
/// a larger file is refused as the HTTP PUT refuses it (PAYLOAD_TOO_LARGE) before any document is started.
/// </summary>
public sealed class GrpcDocumentLimitTests(DiskStoreServerFixture fixture) : IClassFixture<DiskStoreServerFixture>
{
    [Fact]
    public async Task A_file_over_the_upload_limit_is_refused_with_nothing_written()
    {
        var partner = await fixture.Server.CreatePartnerAsync(nameof(GrpcDocumentLimitTests));
        using var channel = fixture.Server.CreateGrpcChannel(partner.TestKey.RawKey);
        var documents = new Documents.DocumentsClient(channel);
        IngestFileRequest File(long size) => new()
        {
            FileName = "a.txt",
            FileType = "text/plain",
            Content = ByteString.CopyFrom(new byte[size]),
            IndexMode = IndexMode.None,
        };

        var e = await Assert.ThrowsAsync<RpcException>(async () => await documents.IngestFileAsync(File(DiskStoreServerFixture.MaxFileBytes + 1)));
        var failure = GrpcFailure.From(e);
        Assert.Equal(StatusCode.InvalidArgument, failure.Code);
        Assert.Equal("PAYLOAD_TOO_LARGE", failure.ErrorCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM documents WHERE tenant_id = $1", partner.TestTenantId));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM upload_tickets WHERE tenant_id = $1", partner.TestTenantId));

        var exact = await documents.IngestFileAsync(File(DiskStoreServerFixture.MaxFileBytes));
        Assert.Equal(DiskStoreServerFixture.MaxFileBytes, exact.FileSize);
    }

    private async Task<long> CountAsync(string sql, string tenantId)
    {
        var db = (NpgsqlDataSource)fixture.Server.Services.GetService(typeof(NpgsqlDataSource))!;
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
