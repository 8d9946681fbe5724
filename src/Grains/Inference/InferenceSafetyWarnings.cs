using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Vectros.Grains.Inference;

/// <summary>
/// Says loudly at start-up which models may reach loopback and private addresses (<see cref="ChatModelEntry.AllowPrivateNetwork"/>):
/// the opt-out weakens the anti-SSRF guard for that model's <c>BaseUrl</c>. Names the model and host, never the key.
/// </summary>
public sealed partial class InferenceSafetyWarnings(IOptions<InferenceOptions> options, ILogger<InferenceSafetyWarnings> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < options.Value.Models.Count; i++)
        {
            var model = options.Value.Models[i];
            if (model.Backend == ChatModelBackend.OpenAI && model.AllowPrivateNetwork)
            {
                var host = Uri.TryCreate(model.BaseUrl, UriKind.Absolute, out var url) ? url.IdnHost : "(no host)";
                LogPrivateNetworkAllowed(logger, model.Id, host, i);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "ANTI-SSRF OPT-OUT: chat model {ModelId} (host {Host}) may reach loopback and private addresses (Vectros:Inference:Models:{Index}:AllowPrivateNetwork). Set it only for a model that really runs inside the network.")]
    private static partial void LogPrivateNetworkAllowed(ILogger logger, string modelId, string host, int index);
}
