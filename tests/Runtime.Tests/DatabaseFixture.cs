using Vectros.TestSupport;

namespace Vectros.Runtime.Tests;

/// <summary>One throw-away database per test class; hosts started on it migrate it themselves.</summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public string ConnectionString => _database?.ConnectionString ?? throw new InvalidOperationException("Fixture not initialized.");

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync("runtime");

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
