using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Webhooks;

/// <summary>A server whose clock a test can move (for the rotation overlap).</summary>
public sealed class ShiftedClockWebhookFixture : WebhookServerFixture
{
    public ShiftedTimeProvider Clock { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddSingleton<TimeProvider>(Clock);
    }
}

/// <summary>Secret rotation (issue #11 item 2): old and new both sign during the overlap (24 h by default), only the new after.</summary>
public sealed class WebhookRotationTests(ShiftedClockWebhookFixture fixture) : IClassFixture<ShiftedClockWebhookFixture>
{
    [Fact]
    public async Task Both_secrets_sign_during_the_overlap_and_only_the_new_one_after()
    {
        var partner = await fixture.Server.CreatePartnerAsync(nameof(WebhookRotationTests));
        var created = await fixture.RegisterAsync(partner.PartnerId, "test", "/rotate", ["record.indexed"]);
        var oldSecret = created.GetProperty("secret").GetString()!;
        var id = created.GetProperty("registration").GetProperty("id").GetString()!;

        var rotated = await fixture.Operator.PostAsync($"/developer/webhooks/{id}/rotate-secret", null);
        rotated.EnsureSuccessStatusCode();
        var body = JsonDocument.Parse(await rotated.Content.ReadAsStringAsync()).RootElement;
        var newSecret = body.GetProperty("secret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);
        Assert.True(body.GetProperty("registration").GetProperty("previousSecretExpiresAt").TryGetDateTimeOffset(out _));

        await fixture.InsertEventAsync(partner.TestTenantId, "record.indexed");
        var during = Assert.Single(await fixture.WaitOnAsync("/rotate", 1));
        Assert.True(WebhookSignatures.HmacMatches(during, oldSecret));
        Assert.True(WebhookSignatures.HmacMatches(during, newSecret));
        Assert.Equal(2, WebhookSignatures.Signatures(during).Count(s => s.Version == "v1"));
        Assert.True(WebhookSignatures.VectrosHeaderMatches(during, oldSecret));
        Assert.True(WebhookSignatures.VectrosHeaderMatches(during, newSecret));

        fixture.Clock.Offset = TimeSpan.FromHours(25);
        await fixture.InsertEventAsync(partner.TestTenantId, "record.indexed");
        var after = (await fixture.WaitOnAsync("/rotate", 2))[1];
        Assert.False(WebhookSignatures.HmacMatches(after, oldSecret));
        Assert.True(WebhookSignatures.HmacMatches(after, newSecret));
        Assert.Single(WebhookSignatures.Signatures(after), s => s.Version == "v1");
    }
}
