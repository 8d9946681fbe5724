using System.ComponentModel.DataAnnotations;

namespace Vectros.Silo;

/// <summary>
/// How this process joins the Orleans cluster, bound from <c>Vectros:Orleans</c>. Every silo of a cluster shares the
/// PostgreSQL database, <see cref="ClusterId"/> and <see cref="ServiceId"/>, and has its own ports.
/// </summary>
public sealed class OrleansOptions
{
    public const string Section = "Vectros:Orleans";

    /// <summary>Silos with the same cluster id form one cluster (their rows in <c>orleans_membership</c>).</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,100}$")]
    public string ClusterId { get; set; } = "vectros";

    /// <summary>Stable across deployments: grain state and reminders are keyed by it.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,100}$")]
    public string ServiceId { get; set; } = "vectros";

    /// <summary>
    /// <c>silo</c> (default): this process is a silo and, with the HTTP front end, co-hosts it. <c>client</c>: this
    /// process only serves HTTP and joins the cluster as an Orleans client through the silos' gateways (found in the
    /// membership table); it runs no grains, migrations or background workers.
    /// </summary>
    [Required]
    [RegularExpression("^(silo|client)$", ErrorMessage = "Vectros:Orleans:Role must be 'silo' or 'client'.")]
    public string Role { get; set; } = "silo";

    /// <summary>
    /// The address other silos and clients reach this silo at: an IPv4 address, or a host name resolved at start-up
    /// (a container's service name, for instance).
    /// </summary>
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    public bool IsClient => string.Equals(Role, "client", StringComparison.Ordinal);

    /// <summary>Reads the role before the host is built (it decides what gets registered).</summary>
    public static bool ClientRole(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        string.Equals(configuration[$"{Section}:Role"], "client", StringComparison.Ordinal);

    /// <summary><see cref="AdvertisedAddress"/> as an IP address.</summary>
    public System.Net.IPAddress AdvertisedIPAddress() =>
        System.Net.IPAddress.TryParse(AdvertisedAddress, out var ip)
            ? ip
            : System.Net.Dns.GetHostAddresses(AdvertisedAddress).First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);

    /// <summary>Silo-to-silo port.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (a separate front end) connect to.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// How long a silo waits for a probe answer. With <see cref="NumMissedProbesLimit"/> it bounds how long a dead
    /// silo's grains stay unreachable: about ProbeTimeout × (NumMissedProbesLimit + 1) before the silo is declared
    /// dead and its grains re-activate elsewhere (README, "Failure detection"). Orleans' own default is 5 s × 3.
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    [Range(1, 10)]
    public int NumMissedProbesLimit { get; set; } = 2;

    /// <summary>Orleans refuses reminder periods below this (its default is one minute); tests lower it.</summary>
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
