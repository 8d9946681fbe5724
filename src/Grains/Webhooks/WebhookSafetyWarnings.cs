using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Vectros.Grains.Webhooks;

/// <summary>Says loudly at start-up when a development-only webhook setting weakens the anti-SSRF or https rules.</summary>
public sealed partial class WebhookSafetyWarnings(IOptions<WebhookOptions> options, ILogger<WebhookSafetyWarnings> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (LoopbackTarget.Parse(o.AllowedLoopbackTarget) is { } target)
        {
            LogLoopbackAllowed(logger, target.Host, target.Port);
        }

        if (o.AllowHttp)
        {
            LogHttpAllowed(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "DEVELOPMENT SETTING ON: webhooks may reach the loopback address of {Host}:{Port} (Vectros:Webhooks:AllowedLoopbackTarget). Never set this in production.")]
    private static partial void LogLoopbackAllowed(ILogger logger, string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DEVELOPMENT SETTING ON: plain http:// webhook URLs are accepted (Vectros:Webhooks:AllowHttp). Never set this in production.")]
    private static partial void LogHttpAllowed(ILogger logger);
}
