using Vectros.ApiFrontend.Auth;
using Vectros.Grains.Abstractions.Accounts;
using Xunit;

namespace Vectros.Api.Tests;

public sealed class ScopeAuthorizerTests
{
    private static Principal Scoped(params string[] actions) => new(
        "ten_test_x", TenantEnvironment.Test, "default", CredentialKind.ScopedKey, "ssk_1", null, actions, Principal.Unrestricted);

    private static readonly Principal Root = new(
        "ten_test_x", TenantEnvironment.Test, "default", CredentialKind.RootKey, "key_1", null, ["*"], Principal.Unrestricted);

    [Theory]
    [InlineData("app-contexts:c")]
    [InlineData("records:d:intake_form")]
    [InlineData("schemas:w")]
    public void Root_holds_every_action(string scope) => Assert.True(ScopeAuthorizer.IsAllowed(Root, scope));

    [Fact]
    public void Root_does_not_reveal_sensitive_fields() => Assert.False(ScopeAuthorizer.IsAllowed(Root, "records:s:patient"));

    [Theory]
    [InlineData("app-contexts:r", "app-contexts:r", true)]
    [InlineData("app-contexts:r", "app-contexts:c", false)]
    [InlineData("app-contexts:crud", "app-contexts:u", true)]
    [InlineData("records:crud", "records:c:intake_form", true)]
    [InlineData("records:r:intake_form", "records:r:intake_form", true)]
    [InlineData("records:r:intake_form", "records:r:other", false)]
    [InlineData("records:rs:patient", "records:s:patient", true)]
    [InlineData("records:crud", "records:s:patient", false)]
    [InlineData("*", "documents:d", true)]
    [InlineData("*", "records:s:patient", false)]
    [InlineData("read", "search:r", true)]
    [InlineData("read", "search:c", false)]
    [InlineData("schemas:cu", "schemas:w", true)]
    [InlineData("schemas:w", "schemas:c", true)]
    [InlineData("schemas:w", "schemas:u", true)]
    [InlineData("schemas:w", "schemas:d", true)]
    [InlineData("schemas:w", "schemas:r", false)]
    [InlineData("schemas:c", "schemas:d", false)]
    [InlineData("search:read", "search:r", true)]
    [InlineData("documents:r", "records:r:x", false)]
    public void Scoped_actions_follow_the_grammar(string held, string required, bool allowed) =>
        Assert.Equal(allowed, ScopeAuthorizer.IsAllowed(Scoped(held), required));
}
