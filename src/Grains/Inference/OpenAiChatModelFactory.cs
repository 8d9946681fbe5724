using Microsoft.Extensions.Logging;

namespace Vectros.Grains.Inference;

/// <summary>
/// Serves <see cref="OpenAiCompatibleChatModel"/> for <see cref="ChatModelBackend.OpenAI"/> entries. The entry was
/// validated at start-up (<see cref="ChatModelEntry.Problems"/>): an https URL (plain http only with
/// <see cref="ChatModelEntry.AllowPrivateNetwork"/>) and a key.
/// </summary>
public sealed class OpenAiChatModelFactory(IHttpClientFactory clients, TimeProvider time, ILogger<OpenAiCompatibleChatModel> logger) : IChatModelFactory
{
    public ChatModelBackend Backend => ChatModelBackend.OpenAI;

    public IChatModel Create(ChatModelEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var settings = new OpenAiChatSettings
        {
            ModelId = entry.Id,
            BaseUrl = new Uri(entry.BaseUrl!, UriKind.Absolute),
            ApiKey = entry.ApiKey!,
            AllowPrivateNetwork = entry.AllowPrivateNetwork,
            UpstreamModel = string.IsNullOrWhiteSpace(entry.UpstreamModel) ? entry.Id : entry.UpstreamModel,
            ConnectTimeout = entry.ConnectTimeout,
            FirstTokenTimeout = entry.FirstTokenTimeout,
            IdleTimeout = entry.IdleTimeout,
            MaxRetries = entry.MaxRetries,
            RetryBaseDelay = entry.RetryBaseDelay,
            MaxRetryDelay = entry.MaxRetryDelay,
        };
        return new OpenAiCompatibleChatModel(settings, clients, time, logger);
    }
}
