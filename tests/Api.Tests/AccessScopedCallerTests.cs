using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// The scoped-caller rules of role and profile writes, against the real grains and database. No scoped credential can
/// be issued on this branch yet, so the tests hand the grains the actor a scoped credential would produce
/// (<c>AccessActors.GetActor</c>): the delegation cap (403), the override rules (403) and the collision read gate (400).
/// </summary>
public sealed class AccessScopedCallerTests : ApiTestBase
{
    private IGrainFactory Grains => Server.Services.GetRequiredService<IGrainFactory>();

    private AccessActor Scoped(string principal, string[] actions, IReadOnlyList<DataScopeRule>? dataScope = null, Dictionary<string, string>? identity = null) =>
        new(new CallerContext(Partner.TestTenantId, "default", "ssk_test", false, actions), principal,
            [new ScopeClause(actions, dataScope ?? [], [])], identity ?? []);

    private static ScopeClause Clause(params string[] actions) => new(actions, [], []);

    private IAccessProfileGrain Profile(string principal) => Grains.GetGrain<IAccessProfileGrain>(AccessKeys.Of(Partner.TestTenantId, "default", principal));

    private IAccessRoleGrain Role(string roleId) => Grains.GetGrain<IAccessRoleGrain>(AccessKeys.Of(Partner.TestTenantId, "default", roleId));

    [Fact]
    public async Task A_scoped_caller_cannot_grant_more_than_it_holds()
    {
        var admin = Scoped("usr_admin", ["profiles:cru", "records:r:memory"]);

        await Assert.ThrowsAsync<ForbiddenException>(() => Profile("key_wide").CreateAsync(admin, new ProfileWrite([Clause("records:crud")], null, null, null), false));
        await Assert.ThrowsAsync<ForbiddenException>(() => Role("wide-role").CreateAsync(admin, new RoleWrite("Wide", null, [Clause("*")]), false));
        var ok = await Profile("key_narrow").CreateAsync(admin, new ProfileWrite([Clause("records:r:memory")], null, null, null), false);
        Assert.True(ok.Created);

        // A role the caller could not have written itself cannot be handed out by reference either.
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/app-contexts/default/roles",
            new { roleId = "superuser", name = "Super", scopes = new[] { new { allowed_actions = new[] { "*" } } } })).StatusCode);
        await Assert.ThrowsAsync<ForbiddenException>(() => Profile("key_escalate").CreateAsync(admin, new ProfileWrite(null, "superuser", null, null), false));
        await Assert.ThrowsAsync<ForbiddenException>(() => Profile("key_narrow").UpdateAsync(admin, new ProfileWrite(null, "superuser", null, null)));

        var listed = await Client.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/app-contexts/default/profiles");
        Assert.Single(listed.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Overrides_may_only_set_change_or_clear_values_the_caller_holds()
    {
        var org = await CreateOrgAsync();
        var other = await CreateOrgAsync();
        var mine = new Dictionary<string, string> { ["scope:org"] = org.ToString() };
        var theirs = new Dictionary<string, string> { ["scope:org"] = other.ToString() };
        var admin = Scoped("usr_admin", ["profiles:crud"], identity: mine);

        await Assert.ThrowsAsync<ForbiddenException>(() => Profile("key_o1").CreateAsync(admin, new ProfileWrite([Clause("profiles:r")], null, theirs, null), false));
        Assert.True((await Profile("key_o2").CreateAsync(admin, new ProfileWrite([Clause("profiles:r")], null, mine, null), false)).Created);

        // Root gives another profile an identity this caller does not hold: the caller may neither change, clear nor delete it.
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/app-contexts/default/profiles",
            new { principalId = "key_o3", scopes = new[] { new { allowed_actions = new[] { "profiles:r" } } }, identityOverrides = new { orgId = other.ToString() } })).StatusCode);
        await Assert.ThrowsAsync<ForbiddenException>(() => Profile("key_o3").UpdateAsync(admin, new ProfileWrite(null, null, mine, null)));
        await Assert.ThrowsAsync<ForbiddenException>(() => Profile("key_o3").UpdateAsync(admin, new ProfileWrite(null, null, new Dictionary<string, string>(), null)));
        await Assert.ThrowsAsync<ForbiddenException>(() => Profile("key_o3").DeleteAsync(admin));

        // Leaving the overrides alone is fine.
        Assert.Equal("suspended", (await Profile("key_o3").UpdateAsync(admin, new ProfileWrite(null, null, null, "suspended"))).Status);
        await Profile("key_o2").DeleteAsync(admin);
    }

    [Fact]
    public async Task A_collision_returns_the_existing_row_only_to_a_caller_that_can_read_it()
    {
        await Client.PostAsJsonAsync("/v1/app-contexts/default/roles", new { roleId = "taken", name = "Taken", scopes = new[] { new { allowed_actions = new[] { "logs:r" } } } });
        await Client.PostAsJsonAsync("/v1/app-contexts/default/profiles", new { principalId = "key_taken", scopes = new[] { new { allowed_actions = new[] { "logs:r" } } } });

        var createOnly = Scoped("usr_c", ["profiles:c", "logs:r"]);
        var ex = await Assert.ThrowsAsync<ValidationException>(() => Role("taken").CreateAsync(createOnly, new RoleWrite("x", null, [Clause("logs:r")]), false));
        Assert.Contains("already exists", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ValidationException>(() => Profile("key_taken").CreateAsync(createOnly, new ProfileWrite([Clause("logs:r")], null, null, null), false));

        var reader = Scoped("usr_r", ["profiles:cr", "logs:r"]);
        Assert.False((await Role("taken").CreateAsync(reader, new RoleWrite("x", null, [Clause("logs:r")]), false)).Created);
        Assert.False((await Profile("key_taken").CreateAsync(reader, new ProfileWrite([Clause("logs:r")], null, null, null), false)).Created);
    }

    [Fact]
    public async Task Effective_access_resolves_status_and_the_role_now()
    {
        Assert.Null(await Profile("key_nobody").GetEffectiveAsync());
        await Client.PostAsJsonAsync("/v1/app-contexts/default/profiles",
            new { principalId = "key_eff", status = "suspended", scopes = new[] { new { allowed_actions = new[] { "records:r:memory" }, data_scope = new Dictionary<string, object?[]> { ["userId"] = ["${{ self.userId }}", null] } } } });
        var effective = await Profile("key_eff").GetEffectiveAsync();
        Assert.NotNull(effective);
        Assert.False(effective!.IsActive);
        Assert.Equal(["${{ self.userId }}", null], effective.Clauses[0].Rule("userId")!.Values);
    }
}
