using System.Net;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Vectros.ApiFrontend.Auth;

/// <summary>
/// Counts failed authentications per client address in fixed one-minute windows. Once an address is over
/// <see cref="AuthOptions.FailedAttemptsPerMinute"/>, its requests get 429 before any credential lookup, so guessing and
/// floods of junk credentials cost the server nothing.
/// <para>
/// Lock-out of valid callers is limited on purpose: a credential that authenticated from the same address within the
/// last window is still served (it is checked as usual, so revocation still applies). Only credentials that have not
/// been seen working from that address wait, and for at most the rest of the window (<c>Retry-After</c>). Many clients
/// behind one address (NAT, a proxy) therefore keep working while one of them fails; a brand-new key from an address
/// that is failing a lot waits under a minute. Behind a reverse proxy the address is the proxy's unless forwarded
/// headers are applied, so such deployments should raise the limit or set it to 0.
/// </para>
/// </summary>
public sealed class FailedAuthLimiter : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private const int KnownGoodPerAddress = 32;

    private readonly IOptions<AuthOptions> _options;
    private readonly TimeProvider _time;
    private readonly MemoryCache _addresses;

    public FailedAuthLimiter(IOptions<AuthOptions> options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _addresses = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.TrackedAddresses });
    }

    /// <summary>Null when the request may try to authenticate; otherwise how long the address must wait.</summary>
    public TimeSpan? Refusal(IPAddress? address, string credentialFingerprint)
    {
        if (_options.Value.FailedAttemptsPerMinute == 0 || address is null
            || !_addresses.TryGetValue(address, out AddressState? state))
        {
            return null;
        }

        lock (state!)
        {
            var now = _time.GetUtcNow();
            if (now >= state.WindowEnd || state.Failures < _options.Value.FailedAttemptsPerMinute
                || (state.KnownGood.TryGetValue(credentialFingerprint, out var seen) && now - seen < Window))
            {
                return null;
            }

            return state.WindowEnd - now;
        }
    }

    public void RecordFailure(IPAddress? address)
    {
        if (_options.Value.FailedAttemptsPerMinute == 0 || address is null)
        {
            return;
        }

        var state = Track(address);
        lock (state)
        {
            var now = _time.GetUtcNow();
            if (now >= state.WindowEnd)
            {
                state.WindowEnd = now + Window;
                state.Failures = 0;
            }

            state.Failures++;
        }
    }

    /// <summary>Remembers a credential that worked from an address, so that the address's failures do not lock it out.</summary>
    public void RecordSuccess(IPAddress? address, string credentialFingerprint)
    {
        if (_options.Value.FailedAttemptsPerMinute == 0 || address is null)
        {
            return;
        }

        var state = Track(address);
        lock (state)
        {
            var now = _time.GetUtcNow();
            if (state.KnownGood.Count >= KnownGoodPerAddress && !state.KnownGood.ContainsKey(credentialFingerprint))
            {
                // Bounded: the stalest go first; a credential dropped here is only re-checked against the limit.
                foreach (var stale in state.KnownGood.Where(p => now - p.Value >= Window).Select(p => p.Key).ToList())
                {
                    state.KnownGood.Remove(stale);
                }

                if (state.KnownGood.Count >= KnownGoodPerAddress)
                {
                    state.KnownGood.Remove(state.KnownGood.MinBy(p => p.Value).Key);
                }
            }

            state.KnownGood[credentialFingerprint] = now;
        }
    }

    private AddressState Track(IPAddress address)
    {
        if (_addresses.TryGetValue(address, out AddressState? state))
        {
            return state!;
        }

        // Past the size limit the cache drops the entry: that address is then not tracked, which is the documented bound.
        state = new AddressState();
        _addresses.Set(address, state, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = 2 * Window });
        return state;
    }

    public void Dispose() => _addresses.Dispose();

    private sealed class AddressState
    {
        public DateTimeOffset WindowEnd { get; set; }

        public int Failures { get; set; }

        /// <summary>Fingerprints of credentials that worked from this address, with when they last did.</summary>
        public Dictionary<string, DateTimeOffset> KnownGood { get; } = new(StringComparer.Ordinal);
    }
}
