using System.Data.Common;
using System.Net.Sockets;

namespace Vectros.ApiFrontend.Http;

/// <summary>
/// Whether an exception means "the database cannot be reached or has no room right now" (retry later: 503) rather
/// than a fault of the request or a bug (500). Covers an unreachable or restarting server, cut connections, connect
/// and command timeouts and an exhausted connection pool, wherever in the exception chain the driver put them.
/// </summary>
public static class StorageUnavailable
{
    /// <summary>How long clients are told to wait (Retry-After, seconds): pools reconnect on the next request.</summary>
    public const int RetryAfterSeconds = 2;

    public static bool Is(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DbException { IsTransient: true }:
                // 08: connection exception; 53: insufficient resources (too many connections, out of memory);
                // 57P01-57P03: the server is shutting down, crashed, or not accepting connections yet.
                case DbException { SqlState: { } state } when state.StartsWith("08", StringComparison.Ordinal)
                    || state.StartsWith("53", StringComparison.Ordinal) || state is "57P01" or "57P02" or "57P03":
                case DbException when e.InnerException is SocketException or IOException or TimeoutException:
                case SocketException:
                    return true;
            }
        }

        return false;
    }
}
