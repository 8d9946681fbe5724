using System.Net;
using System.Net.Sockets;

namespace Vectros.Grains.Network;

/// <summary>
/// A <see cref="SocketsHttpHandler.ConnectCallback"/> for calls made to addresses a partner chose (webhooks, an
/// issuer's JWKS) or an operator configured (OpenAI-compatible models' <c>BaseUrl</c>): it resolves the host itself, at connect time, through <see cref="IHostResolver"/>, refuses the
/// connection when any answer is in <see cref="BlockedAddresses"/>, and connects to the address it checked, so a DNS
/// answer cannot change between the check and the connection. TLS above it still validates and sends SNI for the host.
/// Pair it with <c>PooledConnectionLifetime = 0</c> when every request must be checked afresh.
/// </summary>
public sealed class GuardedConnector(IHostResolver resolver)
{
    /// <summary>Set on the request that opened the connection: the address connected to.</summary>
    public static readonly HttpRequestOptionsKey<IPAddress> ConnectedAddress = new("vectros.connected-address");

    /// <param name="mayReachLoopback">Whether loopback answers may pass for this host and port (a development allow-list).</param>
    public Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Create(Func<string, int, bool> mayReachLoopback) =>
        Create((host, port, address) => mayReachLoopback(host, port) && IPAddress.IsLoopback(address));

    /// <param name="exempt">Whether a blocked answer may still pass for this host and port (an operator's opt-out).</param>
    public Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Create(Func<string, int, IPAddress, bool> exempt) =>
        async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            var port = context.DnsEndPoint.Port;
            IReadOnlyList<IPAddress> addresses;
            try
            {
                addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await resolver.ResolveAddressesAsync(host, cancellationToken);
            }
            catch (HostResolutionException e)
            {
                // Fail closed: no answer is not permission to try something else.
                throw new BlockedDestinationException(e.Message, null);
            }

            if (addresses.Count == 0)
            {
                throw new BlockedDestinationException($"{host} has no address.", null);
            }

            if (BlockedAddresses.FirstRefused(addresses, a => exempt(host, port, a)) is { } refused)
            {
                throw new BlockedDestinationException($"Refused: {host} resolves to {refused}, a blocked address.", refused);
            }

            var address = addresses[0];
            context.InitialRequestMessage.Options.Set(ConnectedAddress, address);
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
}

/// <summary>The connection was refused before it was made: the host resolves to a blocked address, or not at all.</summary>
public sealed class BlockedDestinationException(string message, IPAddress? address) : Exception(message)
{
    /// <summary>The refused answer, when there was one.</summary>
    public IPAddress? Address { get; } = address;
}
