using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// API-DELTA §8.8, the access an invitation carries, through real HTTP: <c>roleId</c> must name a role of the context
/// and inline scopes pass the one grammar (400 naming the <c>accessProfile.*</c> field); a scoped inviter cannot grant
/// more than it holds (403) and meets one uniform 409; accepting the invite creates the user's profile in the context;
/// the email is fixed while the invitation is outstanding, through PUT and through POST with upsert.
/// </summary>
public sealed class InviteAccessTests : IdentityTestBase
{
    private static object Invite(string email, object profile) => new { email, contextId = "crm", accessProfile = profile, sendEmail = false };

    private static object Scopes(params string[] actions) => new { scopes = new[] { new { allowed_actions = actions, data_scope = new { } } } };

    private static object Accept(string token) => new { status = "ACTIVE", inviteToken = token, externalSubject = "auth0|inv", emailVerifiedAttestation = true };

    private async Task<JsonElement> InviteAsync(object body, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync("/v1/users/invite", body);
        var json = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {json}");
        return json;
    }

    /// <summary>An <c>st_</c> token for a user whose profile in <c>crm</c> grants <paramref name="actions"/>: a scoped inviter there.</summary>
    private async Task<HttpClient> ScopedClientAsync(params string[] actions)
    {
        var created = await JsonAsync(await Client.PostAsJsonAsync("/v1/users", new { externalId = "inviter", type = "SERVICE" }));
        var inviter = Id(created);
        (await Client.PostAsJsonAsync("/v1/app-contexts/crm/profiles",
            new { principalId = $"usr_{inviter}", scopes = new[] { new { allowed_actions = actions, data_scope = new { } } } })).EnsureSuccessStatusCode();
        var minted = await JsonAsync(await Client.PostAsJsonAsync("/v1/auth/token",
            new { userId = inviter, contextId = "crm", scope = new { allowedActions = actions } }));
        return Server.CreateClient(minted.GetProperty("token").GetString()!);
    }

    [Fact]
    public async Task The_role_must_exist_and_inline_scopes_pass_the_grammar()
    {
        await CreateContextAsync("crm");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/invite", Invite("r@example.com", new { roleId = "no-such-role" })),
            HttpStatusCode.BadRequest, "accessProfile.roleId");
        var bad = await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/invite", Invite("s@example.com", Scopes("records:fly:note"))), HttpStatusCode.BadRequest);
        Assert.StartsWith("accessProfile.scopes", bad.GetProperty("details").GetProperty("field").GetString(), StringComparison.Ordinal);
        var shape = await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/invite",
            Invite("s@example.com", new { scopes = new[] { new { data_scope = new { } } } })), HttpStatusCode.BadRequest);
        Assert.StartsWith("accessProfile.scopes", shape.GetProperty("details").GetProperty("field").GetString(), StringComparison.Ordinal);

        // Nothing was created by the refused invites.
        Assert.Empty(Data(await JsonAsync(await Client.GetAsync("/v1/users"))));
    }

    [Fact]
    public async Task Accepting_an_invite_creates_the_profile_with_its_role_or_scopes()
    {
        await CreateContextAsync("crm");
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/app-contexts/crm/roles",
            new { roleId = "agent", name = "Agent", scopes = new[] { new { allowed_actions = new[] { "records:r:note" } } } })).StatusCode);

        var byRole = await InviteAsync(Invite("role@example.com", new { roleId = "agent" }));
        var byScopes = await InviteAsync(Invite("scopes@example.com", Scopes("records:cr:note")));
        var roleUser = byRole.GetProperty("userId").GetString()!;
        var scopesUser = byScopes.GetProperty("userId").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/v1/app-contexts/crm/profiles/usr_{roleUser}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsJsonAsync($"/v1/users/{roleUser}", Accept(byRole.GetProperty("inviteToken").GetString()!))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsJsonAsync($"/v1/users/{scopesUser}", Accept(byScopes.GetProperty("inviteToken").GetString()!))).StatusCode);

        var roleProfile = await JsonAsync(await Client.GetAsync($"/v1/app-contexts/crm/profiles/usr_{roleUser}"));
        Assert.Equal("agent", roleProfile.GetProperty("roleId").GetString());
        Assert.Equal("active", roleProfile.GetProperty("status").GetString());
        var scopesProfile = await JsonAsync(await Client.GetAsync($"/v1/app-contexts/crm/profiles/usr_{scopesUser}"));
        Assert.Equal("records:cr:note", scopesProfile.GetProperty("scopes")[0].GetProperty("allowed_actions")[0].GetString());

        // Now a member with access in crm: exists-by-email says so.
        Assert.True((await JsonAsync(await Client.GetAsync("/v1/users/exists-by-email?email=role%40example.com&contextId=crm"))).GetProperty("exists").GetBoolean());
    }

    [Fact]
    public async Task The_email_is_fixed_while_the_invitation_is_outstanding_through_put_and_upsert()
    {
        await CreateContextAsync("crm");
        var invite = await InviteAsync(Invite("fixed@example.com", Scopes("records:r:note")));
        var userId = invite.GetProperty("userId").GetString()!;
        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/users/{userId}", new { email = "moved@example.com" }), HttpStatusCode.BadRequest, "email");

        // An invited user's externalId is its own id, so an upsert by that externalId reaches it.
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users?upsert=true", new { externalId = userId, email = "moved@example.com" }),
            HttpStatusCode.BadRequest, "email");
        Assert.Equal("fixed@example.com", (await JsonAsync(await Client.GetAsync($"/v1/users/{userId}"))).GetProperty("email").GetString());
    }

    [Fact]
    public async Task A_scoped_inviter_cannot_grant_more_than_it_holds_and_meets_one_uniform_409()
    {
        await CreateContextAsync("crm");
        using var scoped = await ScopedClientAsync("users:crud", "records:r:note");

        await AssertErrorAsync(await scoped.PostAsJsonAsync("/v1/users/invite", Invite("wide@example.com", Scopes("records:crud"))), HttpStatusCode.Forbidden);
        await CreateContextAsync("other-ctx");
        await AssertErrorAsync(await scoped.PostAsJsonAsync("/v1/users/invite",
            new { email = "cross@example.com", contextId = "other-ctx", accessProfile = Scopes("records:r:note"), sendEmail = false }), HttpStatusCode.Forbidden);
        var invited = await InviteAsync(Invite("narrow@example.com", Scopes("records:r:note")), scoped);

        // The scoped inviter (confined to crm) sees its invitee while the invite is outstanding.
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/v1/users/{invited.GetProperty("userId").GetString()}")).StatusCode);

        // A member's email: root learns CONFLICT, a scoped caller the same uniform CONFLICT; an identity elsewhere is
        // email_already_associated for root only.
        await CreateContextAsync("sales");
        await InviteAsync(new { email = "elsewhere@example.com", contextId = "sales", accessProfile = Scopes("records:r:note"), sendEmail = false });
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/invite", Invite("elsewhere@example.com", Scopes("records:r:note"))),
            HttpStatusCode.Conflict, errorCode: "email_already_associated");
        var uniform = await AssertErrorAsync(await scoped.PostAsJsonAsync("/v1/users/invite", Invite("elsewhere@example.com", Scopes("records:r:note"))),
            HttpStatusCode.Conflict, errorCode: "CONFLICT");
        Assert.DoesNotContain("associated", uniform.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }
}
