using Xunit;

namespace Vectros.Contract.Tests.Spec;

/// <summary>A test that needs the OpenAPI spec: skipped, with how to run it, where the spec is absent (<see cref="SpecLocator.SkipReason"/>).</summary>
public sealed class SpecFactAttribute : FactAttribute
{
    public SpecFactAttribute() => Skip = SpecLocator.SkipReason;
}

/// <summary>The theory form of <see cref="SpecFactAttribute"/>.</summary>
public sealed class SpecTheoryAttribute : TheoryAttribute
{
    public SpecTheoryAttribute() => Skip = SpecLocator.SkipReason;
}
