using System.Text.Json;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Tokens;
using Vectros.Grains.Abstractions.Users;

namespace Vectros.Grains.Tokens;

/// <summary>Mints <c>st_</c> tokens for the tenant it is keyed by. Stateless: a mint reads the context and signs.</summary>
[StatelessWorker]
public sealed class TokenIssuerGrain(SigningKeyRing ring, TimeProvider time) : Grain, ITokenIssuerGrain
{
    async Task<MintedToken> ITokenIssuerGrain.MintAsync(MintTokenCommand command)
    {
        var tenantId = this.GetPrimaryKeyString();
        if (command.Lifetime <= TimeSpan.Zero || command.Lifetime > ScopedTokenClaims.MaxLifetime)
        {
            throw new ValidationException("expiresInSeconds", "expiresInSeconds must be between 1 and 3600.");
        }

        // A context that never existed, is being purged or is gone: the same 404 (API-DELTA §8.7 "uniform").
        var context = await GrainFactory.GetGrain<IAppContextGrain>(AppContextKeys.Composite(tenantId, command.ContextId)).GetAsync();
        if (context is not { Status: AppContextStatus.Active })
        {
            throw new NotFoundException("App context not found.");
        }

        await CheckUserAsync(tenantId, command);
        var scope = await NarrowToProfileAsync(tenantId, command.ContextId, command.UserId, command.Scope);
        var now = time.GetUtcNow();
        var issuedAt = now.ToUnixTimeSeconds();
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(issuedAt + (long)command.Lifetime.TotalSeconds);
        var jti = Guid.CreateVersion7(now).ToString();
        var published = await ring.GetPublishedAsync();
        var payload = Payload(published.Issuer, tenantId, command, scope, issuedAt, expiresAt.ToUnixTimeSeconds(), jti);
        var jws = await ring.SignAsync(payload, ScopedTokenClaims.Type);
        return new MintedToken(ScopedTokenClaims.Prefix + jws, expiresAt, jti);
    }

    /// <summary>A given userId must name a user of the account (spec TokenRequest.userId; unknown ids are 400, L4486).</summary>
    private async Task CheckUserAsync(string tenantId, MintTokenCommand command)
    {
        if (command.UserId is null)
        {
            return;
        }

        var caller = new CallerContext(tenantId, command.ContextId, command.MintedBy, IsRoot: true, ["*"]);
        try
        {
            if (Guid.TryParse(command.UserId, out var id))
            {
                await GrainFactory.GetGrain<IUserGrain>(UserRules.Key(tenantId, id)).GetAsync(caller);
                return;
            }
        }
        catch (NotFoundException)
        {
        }

        throw new ValidationException("userId", "userId does not name a user in your account.");
    }

    /// <summary>
    /// A token minted for a user who has an access profile in the context carries no more than that profile
    /// grants (issue #9 item 5): the requested scope, as one clause, must be no wider than the profile's effective
    /// clauses (its role resolved now), else 403; a suspended profile cannot be minted for (spec L5770). A user without
    /// a profile there gets what the root key states, as in 0.31, where the request's scope is the token's scope.
    /// </summary>
    private async Task<TokenScope> NarrowToProfileAsync(string tenantId, string contextId, string? userId, TokenScope requested)
    {
        if (userId is null)
        {
            return requested;
        }

        var profile = await GrainFactory.GetGrain<IAccessProfileGrain>(AccessKeys.Of(tenantId, contextId, PrincipalIds.ForUser(userId)))
            .GetEffectiveAsync();
        if (profile is null)
        {
            return requested;
        }

        if (!profile.IsActive)
        {
            throw new ForbiddenException("The user's access profile in this app context is suspended.");
        }

        IReadOnlyList<ScopeClause> asClauses = requested.Clauses
            ?? [new ScopeClause(requested.AllowedActions, requested.DataScope.Select(d => new DataScopeRule(d.Key, d.Value)).ToList(), [])];
        if (!ScopeGrammar.IsNoWiderThan(asClauses, profile.Clauses, sameSubject: true))
        {
            throw new ForbiddenException("The requested scope is wider than the user's access profile in this app context.");
        }

        return requested;
    }

    private static byte[] Payload(
        string issuer, string tenantId, MintTokenCommand command, TokenScope scope, long issuedAt, long expiresAt, string jti)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("iss", issuer);
            w.WriteString("aud", ScopedTokenClaims.Audience);
            if (command.UserId is { } user)
            {
                w.WriteString("sub", user);
            }

            w.WriteNumber("iat", issuedAt);
            w.WriteNumber("nbf", issuedAt);
            w.WriteNumber("exp", expiresAt);
            w.WriteString("jti", jti);
            w.WriteString(ScopedTokenClaims.TenantId, tenantId);
            w.WriteString(ScopedTokenClaims.Environment, command.Environment.ToString().ToLowerInvariant());
            w.WriteString(ScopedTokenClaims.ContextId, command.ContextId);
            if (command.UserId is not null)
            {
                w.WriteString(ScopedTokenClaims.UserId, command.UserId);
            }

            w.WriteStartArray(ScopedTokenClaims.AllowedActions);
            foreach (var action in scope.AllowedActions)
            {
                w.WriteStringValue(action);
            }

            w.WriteEndArray();
            w.WriteStartObject(ScopedTokenClaims.DataScope);
            foreach (var (key, values) in scope.DataScope)
            {
                w.WriteStartArray(key);
                foreach (var value in values)
                {
                    if (value is null)
                    {
                        w.WriteNullValue();
                    }
                    else
                    {
                        w.WriteStringValue(value);
                    }
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WriteStartObject(ScopedTokenClaims.Identity);
            foreach (var (key, value) in scope.Identity)
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
            if (scope.Clauses is { } clauses)
            {
                w.WritePropertyName(ScopedTokenClaims.Clauses);
                w.WriteRawValue(ScopeClauseJson.Write(clauses).ToJsonString());
            }

            w.WriteString(ScopedTokenClaims.MintedBy, command.MintedBy);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
