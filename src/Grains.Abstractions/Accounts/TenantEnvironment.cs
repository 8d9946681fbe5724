using Orleans;

namespace Vectros.Grains.Abstractions.Accounts;

/// <summary>A partner owns one tenant per environment; the root key's prefix picks it (<c>sk_live_</c>/<c>sk_test_</c>).</summary>
[GenerateSerializer, Alias("vectros.TenantEnvironment")]
public enum TenantEnvironment
{
    Live,
    Test,
}
