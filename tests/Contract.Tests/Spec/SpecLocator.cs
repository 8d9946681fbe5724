using System.Runtime.CompilerServices;

namespace Vectros.Contract.Tests.Spec;

/// <summary>Finds <c>shared/api/vectros-openapi.yaml</c>, which lives beside the repository, not inside it.</summary>
public static class SpecLocator
{
    /// <summary>Environment variable that names the spec file explicitly and wins over every search.</summary>
    public const string EnvironmentVariable = "VECTROS_OPENAPI";

    private static readonly string _relativePath = Path.Combine("shared", "api", "vectros-openapi.yaml");

    /// <summary>
    /// Why the contract tests cannot run here, or null when they can. The spec is not inside the repository: a clone
    /// on its own has none, and then the contract tests are skipped with this reason, except under <c>CI=true</c>,
    /// where a missing spec must fail the run (DESIGN §7). A <see cref="EnvironmentVariable"/> that points nowhere is
    /// a configuration error and never a reason to skip.
    /// </summary>
    public static string? SkipReason { get; } = ComputeSkipReason();

    private static string? ComputeSkipReason()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable))
            || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            Locate();
            return null;
        }
        catch (FileNotFoundException)
        {
            return $"Contract tests did not run: the Vectros OpenAPI spec was not found beside the repository "
                + $"(../{_relativePath.Replace('\\', '/')}). Run them with {EnvironmentVariable}=/path/to/vectros-openapi.yaml ./vectros test.";
        }
    }

    /// <summary>Returns the full path of the spec, or throws listing every place that was tried.</summary>
    public static string Locate([CallerFilePath] string callerFile = "")
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            // An explicit override that points nowhere is a configuration error, not a reason to guess.
            return File.Exists(fromEnvironment)
                ? Path.GetFullPath(fromEnvironment)
                : throw new FileNotFoundException($"{EnvironmentVariable} is set to '{fromEnvironment}', which does not exist.");
        }

        var tried = new List<string>();
        // The test binaries sit under <repo>/tests/Contract.Tests/bin/...; the spec is <repo>/../shared/api (a
        // sibling of the clone, here and in CI), so walking up eventually meets the directory holding shared/.
        // The compile-time source path is a second starting point for builds whose output lives elsewhere.
        var starts = new[] { AppContext.BaseDirectory, Path.GetDirectoryName(callerFile) };
        foreach (var start in starts)
        {
            if (string.IsNullOrEmpty(start) || !Directory.Exists(start))
            {
                continue;
            }

            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                // Both "<dir>/shared/..." and the repo-root sibling "<dir>/../shared/..." are checked at every level.
                foreach (var candidate in new[] { Path.Combine(dir.FullName, _relativePath), Path.Combine(dir.FullName, "..", _relativePath) })
                {
                    var full = Path.GetFullPath(candidate);
                    if (File.Exists(full))
                    {
                        return full;
                    }

                    tried.Add(full);
                }
            }
        }

        throw new FileNotFoundException(
            $"Could not find {_relativePath} (set {EnvironmentVariable} to its path). Looked in:{Environment.NewLine}  "
            + string.Join(Environment.NewLine + "  ", tried.Distinct(StringComparer.Ordinal)));
    }
}
