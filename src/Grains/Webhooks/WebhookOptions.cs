using System.ComponentModel.DataAnnotations;

namespace Vectros.Grains.Webhooks;

/// <summary>How webhooks are registered, signed and delivered, bound from <c>Vectros:Webhooks</c> (issue #11).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Vectros:Webhooks";

    /// <summary>Development only: accept plain <c>http://</c> webhook URLs. Off by default; logged loudly when on.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// Development and tests only: the one <c>host:port</c> (e.g. <c>hooks.vectros.test:8443</c>) whose loopback
    /// address the anti-SSRF check lets through. Empty (the default) blocks every loopback target; logged loudly when set.
    /// </summary>
    public string? AllowedLoopbackTarget { get; set; }

    /// <summary>
    /// SHA-256 thumbprints (hex) of receiver certificates trusted in addition to the system's roots: lets a test trust
    /// its own self-signed receiver without trusting anything else.
    /// </summary>
    public List<string> TrustedCertificateThumbprints { get; set; } = [];

    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>After a secret rotation the old secret keeps signing beside the new one this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan SecretRotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Delays before the 2nd, 3rd, … attempt of a delivery; past the last one the delivery is given up. Empty (as bound)
    /// means <see cref="DefaultRetrySchedule"/>: the configuration binder appends to a list's initial items, so a
    /// configured schedule could not replace a non-empty default. Read it through <see cref="EffectiveRetrySchedule"/>.
    /// </summary>
    public List<TimeSpan> RetrySchedule { get; set; } = [];

    public static readonly IReadOnlyList<TimeSpan> DefaultRetrySchedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(14), TimeSpan.FromHours(20), TimeSpan.FromHours(24),
    ];

    public IReadOnlyList<TimeSpan> EffectiveRetrySchedule => RetrySchedule.Count > 0 ? RetrySchedule : DefaultRetrySchedule;

    /// <summary>Each retry delay is spread by up to this fraction either way so endpoints are not hit in lock-step.</summary>
    [Range(0.0, 0.5)]
    public double RetryJitter { get; set; } = 0.1;

    /// <summary>A registration is disabled after this many consecutive failed attempts …</summary>
    [Range(1, 10_000)]
    public int AutoDisableAfterFailures { get; set; } = 15;

    /// <summary>… when they span at least this long (first to last failure).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan AutoDisableMinimumSpan { get; set; } = TimeSpan.FromHours(12);

    /// <summary>The longest <c>Retry-After</c> honoured: a later one is cut to this.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the events outbox is checked for new events to fan out to registrations.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan EventPollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
