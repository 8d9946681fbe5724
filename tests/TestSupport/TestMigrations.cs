using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.Silo;
using Vectros.Silo.Storage;

namespace Vectros.TestSupport;

/// <summary>The production migration runner over a test database, for tests that start silos without the full server.</summary>
public static class TestMigrations
{
    public static async Task ApplyAsync(string connectionString)
    {
        await using var services = Build(connectionString);
        await services.GetRequiredService<MigrationRunner>().ApplyAsync(CancellationToken.None);
    }

    /// <summary>A provider holding the runner (and its data source) for <paramref name="connectionString"/>.</summary>
    public static ServiceProvider Build(string connectionString) =>
        new ServiceCollection()
            .AddLogging()
            .AddSingleton(_ => NpgsqlDataSource.Create(connectionString))
            .AddVectrosMigrations()
            .BuildServiceProvider();
}
