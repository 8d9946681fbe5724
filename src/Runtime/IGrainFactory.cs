namespace Vectros.Runtime;

/// <summary>Hands out grain references (proxies); mirrors <c>Orleans.IGrainFactory</c>.</summary>
public interface IGrainFactory
{
    /// <summary>Reference to the string-keyed grain <paramref name="key"/>; activates nothing until called.</summary>
    TGrain GetGrain<TGrain>(string key)
        where TGrain : IGrainWithStringKey;

    /// <summary>Reference to the Guid-keyed grain <paramref name="key"/>; activates nothing until called.</summary>
    TGrain GetGrain<TGrain>(Guid key)
        where TGrain : IGrainWithGuidKey;
}
