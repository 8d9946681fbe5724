namespace Vectros.Runtime.Tests;

/// <summary>Marker for the assembly holding the test grains (passed to AddGrainsFrom).</summary>
public static class TestGrains
{
}
