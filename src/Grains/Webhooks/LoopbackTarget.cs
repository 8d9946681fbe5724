namespace Vectros.Grains.Webhooks;

/// <summary>Reads <see cref="WebhookOptions.AllowedLoopbackTarget"/>: exactly one <c>host:port</c>, or nothing.</summary>
internal static class LoopbackTarget
{
    public static (string Host, int Port)? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var colon = value.LastIndexOf(':');
        return colon > 0 && int.TryParse(value.AsSpan(colon + 1), out var port) && port is > 0 and <= 65535 && !value[..colon].Contains(':', StringComparison.Ordinal)
            ? (value[..colon].ToLowerInvariant(), port)
            : throw new InvalidOperationException("Vectros:Webhooks:AllowedLoopbackTarget must be one host:port (e.g. hooks.example.test:8443).");
    }
}
