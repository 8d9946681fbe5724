using Vectros.ApiFrontend.Admin;

namespace Vectros.TestSupport;

/// <summary>
/// Runs an operator command (<c>./vectros admin …</c>) in-process against a database and captures what it
/// prints. It swaps the process-wide console and environment, so callers run in a non-parallel collection.
/// </summary>
public static class AdminCli
{
    public static Task<(int Exit, string Output)> RunAsync(string connectionString, params string[] args) =>
        RunWithKeysAsync(connectionString, VectrosTestServer.MasterKey, [], args);

    /// <summary>As <see cref="RunAsync"/>, with a master key and previous master keys of the test's choosing (rotation).</summary>
    public static async Task<(int Exit, string Output)> RunWithKeysAsync(string connectionString, string masterKey, string[] previousMasterKeys, params string[] args)
    {
        var previousOut = Console.Out;
        var previousErr = Console.Error;
        var previousCs = Environment.GetEnvironmentVariable("ConnectionStrings__Vectros");
        var previousKey = Environment.GetEnvironmentVariable("Vectros__Security__MasterKey");
        using var writer = new StringWriter();
        Console.SetOut(writer);
        Console.SetError(writer);
        Environment.SetEnvironmentVariable("ConnectionStrings__Vectros", connectionString);
        Environment.SetEnvironmentVariable("Vectros__Security__MasterKey", masterKey);
        for (var i = 0; i < previousMasterKeys.Length; i++)
        {
            Environment.SetEnvironmentVariable($"Vectros__Security__PreviousMasterKeys__{i}", previousMasterKeys[i]);
        }

        try
        {
            var exit = await AdminCommands.RunAsync(args);
            return (exit, writer.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousErr);
            Environment.SetEnvironmentVariable("ConnectionStrings__Vectros", previousCs);
            Environment.SetEnvironmentVariable("Vectros__Security__MasterKey", previousKey);
            for (var i = 0; i < previousMasterKeys.Length; i++)
            {
                Environment.SetEnvironmentVariable($"Vectros__Security__PreviousMasterKeys__{i}", null);
            }
        }
    }
}
