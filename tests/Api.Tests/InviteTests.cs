using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Vectros.ApiFrontend.Invites;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Users;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Issue #9 item 9: <c>POST /v1/users/invite</c> and <c>…/resend</c> (spec L4924, L4986; API-DELTA §8.8) and the
/// activation through <c>PUT /v1/users/{id}</c>: signed <c>inv_</c> tokens stored only as a hash, rotation on
/// repeat, the 409 rules, bad input, and the senders (the log default, and SMTP against a loopback fake).
/// </summary>
public sealed class InviteTests : IdentityTestBase
{
    private IGrainFactory Grains => Server.Services.GetRequiredService<IGrainFactory>();

    private static object Invite(string email, string contextId = "crm", bool sendEmail = false, object? profile = null) => new
    {
        email,
        contextId,
        accessProfile = profile ?? new { scopes = new[] { new { allowed_actions = new[] { "records:r:note" }, data_scope = new { } } } },
        firstName = "Bob",
        acceptUrl = "https://app.example.com/accept",
        sendEmail,
    };

    private async Task<JsonElement> InviteAsync(object body, string route = "/v1/users/invite")
    {
        var response = await Client.PostAsJsonAsync(route, body);
        var json = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {json}");
        return json;
    }

    private static object Accept(string token) => new { status = "ACTIVE", inviteToken = token, externalSubject = "auth0|bob", emailVerifiedAttestation = true };

    [Fact]
    public async Task An_invite_creates_a_pending_user_a_repeat_rotates_the_token_and_put_activates()
    {
        await CreateContextAsync("crm");
        var first = await InviteAsync(Invite("Bob@Example.com"));
        var userId = first.GetProperty("userId").GetString()!;
        var oldToken = first.GetProperty("inviteToken").GetString()!;
        Assert.StartsWith("inv_", oldToken, StringComparison.Ordinal);
        Assert.Equal($"https://app.example.com/accept?t={Uri.EscapeDataString(oldToken)}", first.GetProperty("acceptLink").GetString());
        Assert.False(first.GetProperty("emailSent").GetBoolean());
        Assert.Equal("PENDING", (await JsonAsync(await Client.GetAsync($"/v1/users/{userId}"))).GetProperty("status").GetString());

        var second = await InviteAsync(Invite("bob@example.com"));
        Assert.Equal(userId, second.GetProperty("userId").GetString());
        var token = second.GetProperty("inviteToken").GetString()!;
        Assert.NotEqual(oldToken, token);

        // Only a hash is stored; no table or history row holds a token.
        await using (var cmd = Db.CreateCommand("SELECT count(*) FROM user_invites WHERE tenant_id = $1 AND token_hash = sha256(convert_to($2, 'UTF8'))"))
        {
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Partner.TestTenantId });
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = token });
            Assert.Equal(1L, await cmd.ExecuteScalarAsync());
        }

        Assert.DoesNotContain("inv_", await Client.GetStringAsync($"/v1/users/{userId}/versions"), StringComparison.Ordinal);

        // PENDING users change only by activation; the invite's email is fixed while it is outstanding (CL 0.38).
        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/users/{userId}", new { email = "robert@example.com" }), HttpStatusCode.BadRequest, "email");
        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/users/{userId}", new { status = "ACTIVE" }), HttpStatusCode.BadRequest, "inviteToken");
        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/users/{userId}", new { status = "ACTIVE", inviteToken = token, externalSubject = "auth0|bob" }),
            HttpStatusCode.BadRequest, "emailVerifiedAttestation");
        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/users/{userId}", Accept(oldToken)), HttpStatusCode.BadRequest, "inviteToken");
        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/users/{userId}", Accept(token[..^2] + "AA")), HttpStatusCode.BadRequest, "inviteToken");

        var active = await Client.PutAsJsonAsync($"/v1/users/{userId}", Accept(token));
        var body = await JsonAsync(active);
        Assert.Equal(HttpStatusCode.OK, active.StatusCode);
        Assert.Equal("ACTIVE", body.GetProperty("status").GetString());
        Assert.Equal("auth0|bob", body.GetProperty("externalSubject").GetString());

        // Accepted: the token is spent, and the email now belongs to a member (409, not a resend).
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/invite/resend", Invite("bob@example.com")), HttpStatusCode.NotFound);
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/invite", Invite("bob@example.com")), HttpStatusCode.Conflict, errorCode: "CONFLICT");
    }

    [Fact]
    public async Task Resend_rotates_a_pending_invite_and_answers_404_without_one()
    {
        await CreateContextAsync("crm");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/invite/resend", Invite("ann@example.com")), HttpStatusCode.NotFound);
        var first = await InviteAsync(Invite("ann@example.com"));
        var resent = await InviteAsync(Invite("ann@example.com"), "/v1/users/invite/resend");
        Assert.Equal(first.GetProperty("userId").GetString(), resent.GetProperty("userId").GetString());
        Assert.NotEqual(first.GetProperty("inviteToken").GetString(), resent.GetProperty("inviteToken").GetString());

        // Deleting the pending user removes its invitation too.
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/users/{first.GetProperty("userId").GetString()}")).StatusCode);
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/invite/resend", Invite("ann@example.com")), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deleting_the_context_withdraws_its_invitations()
    {
        await CreateContextAsync("gone");
        var invite = await InviteAsync(Invite("fay@example.com", "gone"));
        Assert.Equal(HttpStatusCode.Accepted, (await Client.DeleteAsync("/v1/app-contexts/gone?confirm=gone")).StatusCode);
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/invite/resend", Invite("fay@example.com", "gone")), HttpStatusCode.NotFound);
        await TestSupport.Poll.UntilAsync(async () =>
        {
            await using var cmd = Db.CreateCommand("SELECT count(*) FROM user_invites WHERE tenant_id = $1");
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Partner.TestTenantId });
            return (long)(await cmd.ExecuteScalarAsync())! == 0;
        }, "the context's invitations are purged");
        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/users/{invite.GetProperty("userId").GetString()}", Accept(invite.GetProperty("inviteToken").GetString()!)),
            HttpStatusCode.BadRequest, "inviteToken");
    }

    [Fact]
    public async Task Emails_held_elsewhere_are_409_and_only_root_learns_email_already_associated()
    {
        await CreateContextAsync("crm");
        await CreateContextAsync("sales");
        await InviteAsync(Invite("cat@example.com", "sales"));
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/invite", Invite("cat@example.com", "crm")), HttpStatusCode.Conflict, errorCode: "email_already_associated");

        // The account's other tenant (live) already has the email.
        using var live = Server.CreateClient(Partner.LiveKey.RawKey);
        Assert.Equal(HttpStatusCode.Created, (await live.PostAsJsonAsync("/v1/users", new { externalId = "dan", email = "dan@example.com" })).StatusCode);
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/invite", Invite("dan@example.com")), HttpStatusCode.Conflict, errorCode: "email_already_associated");

        // Scoped callers get one uniform 409; a repeat of a pending invite also needs users:r and users:u.
        Task<InviteIssued> AsScoped(string email, string context, params string[] actions)
        {
            var caller = new CallerContext(Partner.TestTenantId, context, "ssk_test_invite", IsRoot: false, actions);
            var command = new InviteCommand { Email = email, ContextId = context, AccessProfileJson = "{}", Ttl = TimeSpan.FromHours(2) };
            return Grains.GetGrain<IUserInviteGrain>(UserRules.InviteKey(caller.TenantId, context, email)).InviteAsync(caller, command, false);
        }

        var uniform = await Assert.ThrowsAsync<ConflictException>(() => AsScoped("cat@example.com", "crm", "users:c"));
        Assert.Equal("CONFLICT", uniform.ErrorCode);
        Assert.Equal("CONFLICT", (await Assert.ThrowsAsync<ConflictException>(() => AsScoped("cat@example.com", "sales", "users:c"))).ErrorCode);
        Assert.True((await AsScoped("cat@example.com", "sales", "users:c", "users:r", "users:u")).Resent);
    }

    [Fact]
    public async Task Bad_invites_are_400_and_unknown_contexts_404()
    {
        await CreateContextAsync("crm");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/invite", Invite("not-an-email")), HttpStatusCode.BadRequest, "email");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/invite", Invite("a@example.com", "missing")), HttpStatusCode.NotFound);
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/invite",
            Invite("a@example.com", profile: new { roleId = "member", scopes = Array.Empty<object>() })), HttpStatusCode.BadRequest, "accessProfile");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/invite",
            Invite("a@example.com", profile: new { roleId = "Bad Role" })), HttpStatusCode.BadRequest, "accessProfile.roleId");
        var baseBody = new { email = "a@example.com", contextId = "crm", accessProfile = new { roleId = "member" } };
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/invite", new { baseBody.email, baseBody.contextId, baseBody.accessProfile, ttlSeconds = 60 }),
            HttpStatusCode.BadRequest, "ttlSeconds");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/invite", new { baseBody.email, baseBody.contextId, baseBody.accessProfile }),
            HttpStatusCode.BadRequest, "acceptUrl");
        foreach (var url in new[] { "http://app.example.com/a", "https://10.0.0.1/a", "https://localhost/a" })
        {
            await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/invite", new { baseBody.email, baseBody.contextId, baseBody.accessProfile, acceptUrl = url }),
                HttpStatusCode.BadRequest, "acceptUrl");
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsync("/v1/users/invite",
            RawJson("""{"email":"a@example.com","contextId":"crm","accessProfile":{"roleId":"member"},"sendEmail":false,"extra":1}"""))).StatusCode);
        Assert.Empty((await JsonAsync(await Client.GetAsync("/v1/users"))).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task With_the_default_log_sender_the_token_never_leaves_in_the_response()
    {
        await CreateContextAsync("crm");
        var sent = await InviteAsync(Invite("eve@example.com", sendEmail: true));
        Assert.False(sent.GetProperty("emailSent").GetBoolean());
        Assert.False(sent.TryGetProperty("inviteToken", out _));
        Assert.False(sent.TryGetProperty("acceptLink", out _));
        Assert.True(DateTimeOffset.Parse(sent.GetProperty("inviteExpiresAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddDays(6));
    }

    [Fact]
    public async Task The_smtp_sender_delivers_the_link_to_an_smtp_server()
    {
        using var smtp = new FakeSmtpServer();
        var options = Options.Create(new InviteOptions { Sender = "smtp", SmtpHost = "127.0.0.1", SmtpPort = smtp.Port, SmtpEnableSsl = false, FromAddress = "invites@example.com" });
        var sender = new SmtpInviteSender(options, NullLogger<SmtpInviteSender>.Instance);
        var ok = await sender.SendAsync(new InviteMessage(Guid.CreateVersion7(), "bob@example.com", "Bob", "Acme", "crm",
            "https://app.example.com/accept?t=inv_abc.def", DateTimeOffset.UtcNow.AddDays(7)), CancellationToken.None);
        Assert.True(ok);
        var mail = (await smtp.Received.Task.WaitAsync(TimeSpan.FromSeconds(10))).Replace("=\n", "", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
        Assert.Contains("RCPT TO:<bob@example.com>", mail, StringComparison.Ordinal);
        Assert.Contains("?t=inv_abc.def", mail, StringComparison.Ordinal);

        // A relay that is down is emailSent=false, not an error.
        var down = new SmtpInviteSender(Options.Create(new InviteOptions { SmtpHost = "127.0.0.1", SmtpPort = 1, SmtpEnableSsl = false, SmtpTimeoutMs = 2000 }),
            NullLogger<SmtpInviteSender>.Instance);
        Assert.False(await down.SendAsync(new InviteMessage(Guid.CreateVersion7(), "bob@example.com", null, "Acme", "crm", "https://x.example.com/?t=1",
            DateTimeOffset.UtcNow), CancellationToken.None));
    }
}
