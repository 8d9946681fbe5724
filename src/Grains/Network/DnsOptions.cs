using System.ComponentModel.DataAnnotations;

namespace Vectros.Grains.Network;

/// <summary>Where host names are resolved, bound from <c>Vectros:Dns</c>.</summary>
public sealed class DnsOptions
{
    public const string Section = "Vectros:Dns";

    /// <summary>
    /// Name servers to ask (<c>ip</c> or <c>ip:port</c>). Empty (the default): A/AAAA through the operating system's
    /// resolver and TXT through the system's name servers. Tests point this at an in-process DNS server on loopback.
    /// </summary>
    public List<string> Servers { get; set; } = [];

    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);
}
