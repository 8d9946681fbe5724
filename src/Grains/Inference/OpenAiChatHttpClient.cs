using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Vectros.Grains.Network;

namespace Vectros.Grains.Inference;

public static class OpenAiChatHttpClient
{
    /// <summary>
    /// The pooled clients every <see cref="OpenAiCompatibleChatModel"/> shares. No client-wide time-out: a streamed
    /// answer may rightly last minutes; the model times the connect, the first token and each silence itself.
    /// Both connect through <see cref="GuardedConnector"/> (the host resolved at connect time, every answer checked,
    /// the socket to the checked address): <see cref="OpenAiCompatibleChatModel.HttpClientName"/> reaches public
    /// addresses only; <see cref="OpenAiCompatibleChatModel.PrivateNetworkHttpClientName"/> also loopback and the private
    /// ranges (<see cref="BlockedAddresses.IsPrivateNetwork"/>), for models with <see cref="ChatModelEntry.AllowPrivateNetwork"/>.
    /// Two handlers, not one: a pooled connection opened under the opt-out must never carry another model's request.
    /// </summary>
    public static IServiceCollection AddOpenAiChatHttpClient(this IServiceCollection services)
    {
        services.AddGuardedConnections();
        Add(services, OpenAiCompatibleChatModel.HttpClientName, static _ => false);
        Add(services, OpenAiCompatibleChatModel.PrivateNetworkHttpClientName, BlockedAddresses.IsPrivateNetwork);
        return services;
    }

    private static void Add(IServiceCollection services, string name, Func<IPAddress, bool> exempt) =>
        services.AddHttpClient(name)
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // No pooling: every call resolves the host again and is checked afresh, as webhooks are, so a name
                // flipped to an inside address is refused at the next call (one handshake per call is small beside a
                // model's answer). This also spreads calls over a load-balanced service's addresses.
                PooledConnectionLifetime = TimeSpan.Zero,
                ConnectTimeout = TimeSpan.FromSeconds(15),
                // A redirect would be a second destination nobody checked against the configured BaseUrl; a proxy would
                // make the check judge the proxy, not the model.
                AllowAutoRedirect = false,
                UseProxy = false,
                ConnectCallback = sp.GetRequiredService<GuardedConnector>().Create((_, _, address) => exempt(address)),
                // An answer abandoned mid-stream (the client went away) must close the connection so the upstream
                // stops generating: never drain the rest of it to keep the connection for reuse.
                MaxResponseDrainSize = 0,
                ResponseDrainTimeout = TimeSpan.Zero,
            });
}
