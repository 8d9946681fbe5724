namespace Vectros.Runtime;

/// <summary>Marker for grain interfaces; mirrors <c>Orleans.IGrain</c>.</summary>
public interface IGrain
{
}

/// <summary>A grain addressed by a string key.</summary>
public interface IGrainWithStringKey : IGrain
{
}

/// <summary>A grain addressed by a <see cref="Guid"/> key.</summary>
public interface IGrainWithGuidKey : IGrain
{
}
