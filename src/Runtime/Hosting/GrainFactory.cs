using System.Reflection;

namespace Vectros.Runtime.Hosting;

/// <summary>Creates grain references; references are cheap and hold no activation.</summary>
internal sealed class GrainFactory(GrainTypeRegistry registry, GrainCatalog catalog) : IGrainFactory
{
    public TGrain GetGrain<TGrain>(string key)
        where TGrain : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        return Create<TGrain>(key);
    }

    public TGrain GetGrain<TGrain>(Guid key)
        where TGrain : IGrainWithGuidKey =>
        Create<TGrain>(key.ToString("D"));

    private TGrain Create<TGrain>(string key)
    {
        var registration = registry.Get(typeof(TGrain));
        var proxy = DispatchProxy.Create<TGrain, GrainReference>();
        ((GrainReference)(object)proxy!).Initialize(catalog, registration, new GrainId(registration.TypeName, key));
        return proxy;
    }
}
