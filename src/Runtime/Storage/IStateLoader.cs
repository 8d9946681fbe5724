namespace Vectros.Runtime.Storage;

/// <summary>Lets an activation load a persistent state without knowing its state type.</summary>
internal interface IStateLoader
{
    Task ReadStateAsync(CancellationToken cancellationToken);
}
