using System.Net.Http.Json;
using Npgsql;
using NpgsqlTypes;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Issue #7 item 3: <c>vectros_scope_target_missing(tenant, ctx, scopes)</c>, the parent check record and folder writes
/// call, exercised through SQL against namespaces and entities made over HTTP.
/// </summary>
public sealed class ScopeTargetFunctionTests : IdentityTestBase
{
    [Fact]
    public async Task Returns_the_first_entry_naming_no_visible_entity_of_an_entity_backed_namespace()
    {
        var org = Id(await CreateEntityAsync("org", new { externalId = "acme" }));
        var missing = Guid.CreateVersion7().ToString();
        await RegisterAsync(new { @namespace = "label", specificityRank = 10 });

        Assert.Null(await MissingAsync("default", [$"org:{org}"]));
        Assert.Null(await MissingAsync("default", [$"org:{org.ToUpperInvariant()}"]));
        Assert.Null(await MissingAsync("default", ["label:anything", "free:form"]));
        Assert.Null(await MissingAsync("default", []));
        Assert.Equal($"org:{missing}", await MissingAsync("default", [$"org:{org}", $"org:{missing}"]));
        Assert.Equal("client:not-an-id", await MissingAsync("default", ["client:not-an-id", $"org:{missing}"]));

        // A tenant-wide namespace's entities are visible from every context, and only in their own tenant.
        Assert.Null(await MissingAsync("any-context", [$"org:{org}"]));
        Assert.Equal($"org:{org}", await MissingAsync("default", [$"org:{org}"], Partner.LiveTenantId));
    }

    [Fact]
    public async Task A_context_s_own_registration_wins_and_its_entities_live_in_that_context()
    {
        await CreateContextAsync("alpha");
        await CreateContextAsync("beta");
        await RegisterAsync(new { @namespace = "team", specificityRank = 20, entityBacked = true }, "alpha");
        var alphaTeam = Id(await CreateEntityAsync("team", new { externalId = "eng" }, "alpha"));

        Assert.Null(await MissingAsync("alpha", [$"team:{alphaTeam}"]));

        // Beta has no registration of its own and there is no tenant-wide one: team is free-form there.
        Assert.Null(await MissingAsync("beta", [$"team:{Guid.CreateVersion7()}"]));

        // With a tenant-wide registration, beta resolves to it, where alpha's entity is not visible...
        await RegisterAsync(new { @namespace = "team", specificityRank = 21, entityBacked = true });
        var sharedTeam = Id(await CreateEntityAsync("team", new { externalId = "shared" }));
        Assert.Equal($"team:{alphaTeam}", await MissingAsync("beta", [$"team:{alphaTeam}"]));
        Assert.Null(await MissingAsync("beta", [$"team:{sharedTeam}"]));

        // ...while alpha keeps resolving to its own registration.
        Assert.Equal($"team:{sharedTeam}", await MissingAsync("alpha", [$"team:{sharedTeam}"]));

        // A context-owned registration that is not entity-backed makes the name free-form in that context.
        await RegisterAsync(new { @namespace = "team", specificityRank = 22 }, "beta");
        Assert.Null(await MissingAsync("beta", [$"team:{alphaTeam}"]));
    }

    private async Task<string?> MissingAsync(string context, string[] scopes, string? tenantId = null)
    {
        await using var cmd = Db.CreateCommand("SELECT vectros_scope_target_missing($1, $2, $3)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId ?? Partner.TestTenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = context });
        cmd.Parameters.Add(new NpgsqlParameter { Value = scopes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return await cmd.ExecuteScalarAsync() as string;
    }
}
