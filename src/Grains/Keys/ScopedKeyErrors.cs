using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Keys;

/// <summary>
/// An unknown user and a user without a profile in the context are one 404, the one naming the access profile
/// (API-DELTA §8.6), so the endpoint does not tell which users exist.
/// </summary>
internal static class ScopedKeyErrors
{
    public static NotFoundException NoProfile() => new("No access profile exists for this userId in the given app context.");

    public static NotFoundException NoKey() => new("No scoped key exists with this keyId in your account.");
}
