namespace Vectros.Grains.Inference;

/// <summary>
/// How one OpenAI-compatible chat model is reached (built by the registry from a <c>Backend: "openai"</c> model entry).
/// <see cref="ApiKey"/> is a secret: it goes only into the Authorization header, never into a log or an exception.
/// </summary>
public sealed record OpenAiChatSettings
{
    /// <summary>The alias callers pass as <c>model</c>.</summary>
    public required string ModelId { get; init; }

    /// <summary>The API root, e.g. <c>https://api.openai.com/v1</c>; requests go to <c>{BaseUrl}/chat/completions</c>.</summary>
    public required Uri BaseUrl { get; init; }

    public required string ApiKey { get; init; }

    /// <summary>
    /// The operator's opt-out (<see cref="ChatModelEntry.AllowPrivateNetwork"/>): connections may reach loopback and the
    /// private ranges. Without it every address <see cref="Network.BlockedAddresses"/> lists is refused at connect time.
    /// </summary>
    public bool AllowPrivateNetwork { get; init; }

    /// <summary>The model name the upstream API knows (the alias callers use may differ).</summary>
    public required string UpstreamModel { get; init; }

    /// <summary>Connecting and receiving the response headers, per attempt.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>From the response headers to the first text delta (a model may think before it speaks).</summary>
    public TimeSpan FirstTokenTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest silence between two chunks once the answer has begun.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt, only before the first token (nothing has reached the caller yet).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The first back-off; each retry doubles it, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Caps both the back-off and a server's <c>Retry-After</c>.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(20);

    public Uri Endpoint => new($"{BaseUrl.AbsoluteUri.TrimEnd('/')}/chat/completions", UriKind.Absolute);

    /// <summary>The key is a secret: keep it out of anything that prints settings.</summary>
    public override string ToString() =>
        $"ModelId={ModelId}, BaseUrl={BaseUrl}, AllowPrivateNetwork={AllowPrivateNetwork}, UpstreamModel={UpstreamModel}, ApiKey={(string.IsNullOrEmpty(ApiKey) ? "(none)" : "***")}";
}
