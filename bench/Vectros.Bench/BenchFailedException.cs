namespace Vectros.Bench;

/// <summary>A scenario could not measure what it reports (a tool is missing, a request failed): the run exits non-zero.</summary>
public sealed class BenchFailedException(string message) : Exception(message);
