namespace Vectros.Runtime;

/// <summary>
/// Identity of a grain: the full name of its grain interface and its key (DESIGN §3 "Identity").
/// Guid keys are held in their "D" form.
/// </summary>
public readonly record struct GrainId(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";
}
