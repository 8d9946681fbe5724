using System.Net.Http.Json;
using Npgsql;
using Microsoft.Extensions.DependencyInjection;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Webhooks;

/// <summary>
/// Restart safety (issue #11 item 5): a delivery waiting for its retry when the server stops is sent by the next
/// server on the same database (its reminder and the delivery row survive), once the receiver answers 200.
/// </summary>
public sealed class WebhookRestartTests
{
    [Fact]
    public async Task A_delivery_pending_retry_survives_a_restart()
    {
        await using var db = await TestDatabase.CreateAsync("webhookrestart");
        await using var receiver = await HttpsReceiver.StartAsync();
        var healthy = false;
        receiver.Respond = _ => (Volatile.Read(ref healthy) ? 200 : 500, null);
        var settings = WebhookServerFixture.Settings(receiver);
        // A retry far enough away that the first server is gone before it is due.
        settings["Vectros:Webhooks:RetrySchedule:0"] = "00:00:03";

        TestPartner partner;
        string registrationId;
        Guid eventId;
        await using (var first = await VectrosTestServer.StartAsync(db.ConnectionString, settings))
        {
            using var op = first.CreateClient(VectrosTestServer.OperatorToken);
            partner = await first.CreatePartnerAsync(nameof(WebhookRestartTests));
            var created = await WebhookServerFixture.RegisterAsync(op, receiver, partner.PartnerId, "test", "/restart", ["record.indexed"]);
            registrationId = created.GetProperty("registration").GetProperty("id").GetString()!;
            eventId = await WebhookServerFixture.InsertEventAsync(first.Services.GetRequiredService<NpgsqlDataSource>(), partner.TestTenantId, "record.indexed");
            await WebhookServerFixture.WaitAsync(receiver, "/restart", 1);
            await Poll.UntilAsync(async () => await AttemptsAsync(first, registrationId) == 1, "the failed attempt recorded");
        }

        Volatile.Write(ref healthy, true);
        await using var second = await VectrosTestServer.StartAsync(db.ConnectionString, settings);
        var received = await WebhookServerFixture.WaitAsync(receiver, "/restart", 2);
        Assert.All(received, r => Assert.Equal(eventId.ToString(), r.Headers["webhook-id"]));
        using var op2 = second.CreateClient(VectrosTestServer.OperatorToken);
        await Poll.UntilAsync(async () =>
        {
            var attempts = await op2.GetFromJsonAsync<System.Text.Json.JsonElement>($"/developer/webhooks/{registrationId}/attempts");
            return attempts.GetProperty("data").EnumerateArray().Any(a => a.GetProperty("succeeded").GetBoolean());
        }, "the retried attempt recorded as a success");
    }

    private static async Task<long> AttemptsAsync(VectrosTestServer server, string registrationId)
    {
        await using var cmd = server.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT count(*) FROM webhook_attempts WHERE registration_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = registrationId });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
