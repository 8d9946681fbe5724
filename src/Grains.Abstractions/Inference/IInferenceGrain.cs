using Orleans;
using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Abstractions.Inference;

/// <summary>
/// One chat, RAG or ask call, streamed as events in the spec's order (API-DIGEST §3.9 "SSE events"). Everything that
/// can refuse the call (validation, the credit allowance, the prepaid balance, the document gate, a required complete
/// search) throws before the first event, so the front end can still answer with a plain HTTP error; a failure after
/// that is an <see cref="InferenceError"/> event. Cancelling the enumeration cancels the model call, and the call is
/// charged for the tokens used so far.
/// <para>
/// Keyed <c>tenant#context#call-&lt;uuid&gt;</c>, one activation per call: Orleans sends an enumeration's follow-up
/// calls (next batch, cancel, dispose) to the grain id, and a <c>[StatelessWorker]</c> would hand them to whichever
/// worker is idle rather than the one holding the enumerator (dotnet/orleans#9877).
/// </para>
/// </summary>
[Alias("vectros.IInferenceGrain")]
public interface IInferenceGrain : IGrainWithStringKey
{
    IAsyncEnumerable<InferenceEvent> ChatAsync(CallerContext caller, ChatCall call, CancellationToken cancellationToken = default);

    IAsyncEnumerable<InferenceEvent> RagAsync(CallerContext caller, RagCall call, CancellationToken cancellationToken = default);

    IAsyncEnumerable<InferenceEvent> AskAsync(CallerContext caller, AskCall call, CancellationToken cancellationToken = default);
}

/// <summary>The grain key of a new call in the caller's context.</summary>
public static class InferenceCallKeys
{
    public static string NewKey(CallerContext caller) => caller.KeyFor($"call-{Guid.CreateVersion7():N}");
}
