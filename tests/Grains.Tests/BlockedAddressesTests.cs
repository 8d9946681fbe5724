using System.Net;
using Vectros.Grains.Network;
using Xunit;

namespace Vectros.Grains.Tests;

/// <summary>The anti-SSRF address ranges (issue #11 item 4), including the IPv4 forms hidden inside IPv6.</summary>
public sealed class BlockedAddressesTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("192.0.0.8")]
    [InlineData("192.0.2.1")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.9")]
    [InlineData("198.18.0.1")]
    [InlineData("198.19.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::127.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("2002:7f00:1::1")]
    [InlineData("2002:a9fe:a9fe::1")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("2001:db8::1")]
    [InlineData("2001::1")]
    [InlineData("2001:2::1")]
    [InlineData("3fff::1")]
    [InlineData("100::1")]
    [InlineData("4000::1")]
    public void Inside_special_and_reserved_addresses_are_blocked(string address) =>
        Assert.True(BlockedAddresses.IsBlocked(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    public void Ordinary_public_addresses_are_not(string address) =>
        Assert.False(BlockedAddresses.IsBlocked(IPAddress.Parse(address)), address);

    [Fact]
    public void A_scoped_IPv6_address_is_blocked() =>
        Assert.True(BlockedAddresses.IsBlocked(IPAddress.Parse("fe80::1%2")));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.5.4")]
    [InlineData("192.168.1.10")]
    [InlineData("100.64.0.1")]
    [InlineData("::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("::ffff:10.1.2.3")]
    public void Loopback_and_private_ranges_are_what_a_model_opt_out_allows(string address)
    {
        var ip = IPAddress.Parse(address);
        Assert.True(BlockedAddresses.IsPrivateNetwork(ip), address);
        Assert.True(BlockedAddresses.IsBlocked(ip), address);
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("fe80::1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("240.0.0.1")]
    [InlineData("::")]
    [InlineData("8.8.8.8")]
    public void Link_local_reserved_and_public_addresses_are_not_private_network(string address) =>
        Assert.False(BlockedAddresses.IsPrivateNetwork(IPAddress.Parse(address)), address);
}
