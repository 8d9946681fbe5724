using System.Net;
using System.Net.Sockets;

namespace Vectros.Grains.Network;

/// <summary>
/// The addresses an outbound call made on a partner's behalf (webhooks) must never reach: everything that is not
/// ordinary public unicast. IPv4 from the IANA special-purpose registry (RFC 6890 and successors); IPv6 outside global
/// unicast 2000::/3 plus its special blocks; IPv4 forms embedded in IPv6 (mapped ::ffff:0:0/96, compatible ::/96,
/// NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address inside.
/// </summary>
public static class BlockedAddresses
{
    private static readonly IPNetwork[] _v4 =
    [
        IPNetwork.Parse("0.0.0.0/8"),        // "this network"
        IPNetwork.Parse("10.0.0.0/8"),       // private
        IPNetwork.Parse("100.64.0.0/10"),    // CGNAT shared address space
        IPNetwork.Parse("127.0.0.0/8"),      // loopback
        IPNetwork.Parse("169.254.0.0/16"),   // link-local (cloud metadata lives here)
        IPNetwork.Parse("172.16.0.0/12"),    // private
        IPNetwork.Parse("192.0.0.0/24"),     // IETF protocol assignments
        IPNetwork.Parse("192.0.2.0/24"),     // documentation TEST-NET-1
        IPNetwork.Parse("192.31.196.0/24"),  // AS112
        IPNetwork.Parse("192.52.193.0/24"),  // AMT
        IPNetwork.Parse("192.88.99.0/24"),   // deprecated 6to4 relay anycast
        IPNetwork.Parse("192.168.0.0/16"),   // private
        IPNetwork.Parse("192.175.48.0/24"),  // AS112 direct delegation
        IPNetwork.Parse("198.18.0.0/15"),    // benchmarking
        IPNetwork.Parse("198.51.100.0/24"),  // documentation TEST-NET-2
        IPNetwork.Parse("203.0.113.0/24"),   // documentation TEST-NET-3
        IPNetwork.Parse("224.0.0.0/4"),      // multicast
        IPNetwork.Parse("240.0.0.0/4"),      // reserved, and 255.255.255.255 broadcast
    ];

    private static readonly IPNetwork _globalUnicast = IPNetwork.Parse("2000::/3");

    private static readonly IPNetwork[] _v6InsideGlobal =
    [
        IPNetwork.Parse("2001::/23"),        // IETF protocol assignments: Teredo, benchmarking 2001:2::/48, ORCHID
        IPNetwork.Parse("2001:db8::/32"),    // documentation
        IPNetwork.Parse("3fff::/20"),        // documentation (RFC 9637)
    ];

    /// <summary>The ranges an operator's own service may sit in (<see cref="IsPrivateNetwork"/>); link-local is not one.</summary>
    private static readonly IPNetwork[] _privateV4 =
    [
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.168.0.0/16"),
    ];

    private static readonly IPNetwork _uniqueLocal = IPNetwork.Parse("fc00::/7");

    private static readonly IPNetwork _compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork _nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork _sixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>
    /// The first answer a call must not reach, or null when every one may be used. Loopback answers pass only when
    /// <paramref name="loopbackAllowed"/> (a development allow-list for one host and port).
    /// </summary>
    public static IPAddress? FirstRefused(IEnumerable<IPAddress> addresses, bool loopbackAllowed) =>
        addresses.FirstOrDefault(a => IsBlocked(a) && !(loopbackAllowed && IPAddress.IsLoopback(a)));

    /// <summary>
    /// The first answer a call must not reach, or null when every one may be used; a blocked answer passes only when
    /// <paramref name="exempt"/> says so (e.g. <see cref="IsPrivateNetwork"/> for a model the operator runs inside).
    /// </summary>
    public static IPAddress? FirstRefused(IEnumerable<IPAddress> addresses, Func<IPAddress, bool> exempt) =>
        addresses.FirstOrDefault(a => IsBlocked(a) && !exempt(a));

    /// <summary>
    /// True for loopback and the private ranges an operator runs services in: <c>127/8</c>, <c>10/8</c>,
    /// <c>172.16/12</c>, <c>192.168/16</c>, <c>100.64/10</c>, <c>::1</c>, <c>fc00::/7</c> (and IPv4-mapped forms).
    /// Link-local (cloud metadata at 169.254.169.254), multicast, reserved and unspecified addresses are not: no
    /// opt-out for "my model is inside the network" needs those.
    /// </summary>
    public static bool IsPrivateNetwork(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => _privateV4.Any(n => n.Contains(address)),
            AddressFamily.InterNetworkV6 => address.ScopeId == 0 && (address.Equals(IPAddress.IPv6Loopback) || _uniqueLocal.Contains(address)),
            _ => false,
        };
    }

    /// <summary>True when a call must not connect to <paramref name="address"/>.</summary>
    public static bool IsBlocked(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return _v4.Any(n => n.Contains(address));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return true;
        }

        if (address.ScopeId != 0)
        {
            return true; // a zone index only exists for link- or site-scoped addresses
        }

        var bytes = address.GetAddressBytes();
        // IPNetwork.Contains does not match IPv4-mapped addresses against ::ffff:0:0/96, so ask the address itself.
        if (address.IsIPv4MappedToIPv6 || _nat64.Contains(address))
        {
            return IsBlocked(new IPAddress(bytes.AsSpan(12, 4)));
        }

        if (_compatible.Contains(address))
        {
            return true; // ::, ::1 and the deprecated IPv4-compatible form
        }

        if (_sixToFour.Contains(address))
        {
            return IsBlocked(new IPAddress(bytes.AsSpan(2, 4)));
        }

        // Outside 2000::/3 is link-local, unique-local, multicast, discard or unassigned: never a partner's endpoint.
        return !_globalUnicast.Contains(address) || _v6InsideGlobal.Any(n => n.Contains(address));
    }
}
