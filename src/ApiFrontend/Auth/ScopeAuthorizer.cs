using Vectros.Grains.Abstractions.Access;

namespace Vectros.ApiFrontend.Auth;

/// <summary>
/// The one authorisation check every endpoint goes through; the grammar itself lives in
/// <see cref="ScopeGrammar"/> so that grains can apply it too (per-type record scopes, sensitive reveal).
/// </summary>
public static class ScopeAuthorizer
{
    public static bool IsAllowed(Principal principal, string requiredScope) =>
        ScopeGrammar.IsAllowed(principal.IsRoot, principal.AllowedActions, requiredScope);
}
