using System.Net;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

public sealed class OperationsTests : ApiTestBase
{
    [Fact]
    public async Task Health_and_readiness_answer_without_a_credential()
    {
        using var anonymous = Server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        var ready = await anonymous.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", (await JsonAsync(ready)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Metrics_show_requests_by_route_and_orleans_grain_and_silo_statistics()
    {
        await Client.GetAsync("/v1/ping");
        using var anonymous = Server.CreateClient();
        var response = await anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("vectros_http_requests_total{method=\"GET\",route=\"/v1/ping\",status=\"200\"}", text, StringComparison.Ordinal);
        Assert.Contains("vectros_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v1/ping\",status=\"200\",le=\"+Inf\"}", text, StringComparison.Ordinal);
        // Grain and silo statistics come from Orleans' own meter.
        Assert.Contains("orleans_catalog_activations{grain_type=\"credentialdirectory\"}", text, StringComparison.Ordinal);
        Assert.Contains("orleans_app_requests_latency_count ", text, StringComparison.Ordinal);
        Assert.Contains("orleans_consistent_ring_size 1", text, StringComparison.Ordinal);
        Assert.Contains("vectros_outbox_depth ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Partner.TestKey.RawKey, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_show_outbox_depth_and_the_oldest_row_age_by_kind()
    {
        // A kind no worker drains stays put long enough to be seen.
        var kind = "test.metrics." + Guid.NewGuid().ToString("N");
        await using (var cmd = Db.CreateCommand(
            "INSERT INTO outbox (kind, tenant_id, context_id, created_at) VALUES ($1, $2, 'default', now() - interval '90 seconds')"))
        {
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = kind });
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Partner.TestTenantId });
            await cmd.ExecuteNonQueryAsync();
        }

        try
        {
            using var anonymous = Server.CreateClient();
            var text = await anonymous.GetStringAsync("/metrics");
            Assert.Contains($"vectros_outbox_kind_depth{{kind=\"{kind}\"}} 1\n", text, StringComparison.Ordinal);
            var age = text.Split('\n').Single(l => l.StartsWith($"vectros_outbox_oldest_age_seconds{{kind=\"{kind}\"}} ", StringComparison.Ordinal));
            Assert.InRange(double.Parse(age.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), 89, 3600);
        }
        finally
        {
            await using var cmd = Db.CreateCommand("DELETE FROM outbox WHERE kind = $1");
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = kind });
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
