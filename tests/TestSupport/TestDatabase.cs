using Npgsql;

namespace Vectros.TestSupport;

/// <summary>
/// A throw-away database on the project-local PostgreSQL cluster started by <c>./vectros db</c>.
/// Each fixture gets its own database so test classes never see each other's rows; it is dropped
/// (WITH FORCE) on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>Server connection string; <c>VECTROS_TEST_PG</c> overrides the default local cluster.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("VECTROS_TEST_PG")
        ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres;Pooling=false";

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(string prefix)
    {
        var safe = new string(prefix.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(20).ToArray());
        var name = $"vt_{safe}_{Guid.NewGuid():N}"[..40];
        await using (var conn = new NpgsqlConnection(ServerConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, Pooling = true };
        return new TestDatabase(name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var conn = new NpgsqlConnection(ServerConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // Best effort: a database left behind is harmless and the cluster is project-local.
        }
    }
}
