using Vectros.ApiFrontend.Auth;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Accounts;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>The one builder of scoped principals, shared by <c>ssk_</c> keys and <c>st_</c> tokens.</summary>
public sealed class ScopedPrincipalsTests
{
    private static ScopedPrincipals.Binding Binding(CredentialKind kind, string? userId = "u-1") =>
        new("ten_test_x", TenantEnvironment.Test, "app", kind, "cred-1", "label", userId);

    [Fact]
    public void A_token_principal_carries_its_principal_clause_and_capabilities()
    {
        var clause = new ScopeClause(["records:r:note"], [new DataScopeRule("userId", ["${{ self.userId }}"])], ["delegate-mint"]);
        var principal = ScopedPrincipals.Build(Binding(CredentialKind.Token), [clause], new Dictionary<string, string> { ["scope:team"] = "blue" });

        Assert.Equal("usr_u-1", principal.PrincipalId);
        Assert.Equal([clause], principal.Clauses!);
        Assert.Contains("delegate-mint", principal.Capabilities);
        Assert.Equal(["records:r:note"], principal.AllowedActions);
        Assert.Equal(["${{ self.userId }}"], principal.DataScope["userId"]);
        Assert.Equal("blue", principal.Identity!["scope:team"]);
        Assert.Equal([clause], AccessActors.Clauses(principal));
    }

    [Fact]
    public void A_key_principal_acts_as_its_user_under_every_enforceable_clause_of_the_profile()
    {
        var profile = new EffectiveAccess("app", "usr_u-1", AccessProfileView.Active,
            [
                new ScopeClause(["schemas:r"], [], []),
                new ScopeClause(["records:crud:note"], [], ["forensic-read"]),
                new ScopeClause(["*"], [], ["no-such-capability"]),
            ],
            new Dictionary<string, string> { ["scope:org"] = "acme" }, RoleId: null);
        var principal = ScopedPrincipals.ForKey(Binding(CredentialKind.ScopedKey), profile);

        Assert.Equal(CredentialKind.ScopedKey, principal.Kind);
        Assert.Equal(["schemas:r", "records:crud:note"], principal.AllowedActions);
        Assert.Equal(["forensic-read"], principal.Capabilities);
        Assert.Empty(principal.DataScope);
        Assert.Equal("u-1", principal.Identity!["userId"]);
        Assert.Equal("acme", principal.Identity["scope:org"]);
        Assert.Equal(3, principal.Clauses!.Count);
        Assert.False(ScopeAuthorizer.IsAllowed(principal, "users:r"));
    }
}
