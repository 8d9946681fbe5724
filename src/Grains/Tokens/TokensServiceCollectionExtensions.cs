using Microsoft.Extensions.DependencyInjection;

namespace Vectros.Grains.Tokens;

public static class TokensServiceCollectionExtensions
{
    /// <summary>The signing key ring behind <c>st_</c> tokens and the JWKS (one per silo, refreshed from PostgreSQL).</summary>
    public static IServiceCollection AddVectrosTokenSigning(this IServiceCollection services)
    {
        services.AddOptions<TokenSigningOptions>().BindConfiguration(TokenSigningOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SigningKeyRing>();
        return services;
    }
}
