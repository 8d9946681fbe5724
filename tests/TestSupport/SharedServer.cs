namespace Vectros.TestSupport;

/// <summary>
/// One server and database for a whole test assembly. Test classes share it and stay apart by each signing
/// up its own partner (its own tenants), which is also how they run in parallel without cleaning up.
/// </summary>
public static class SharedServer
{
    private static readonly Lazy<Task<(TestDatabase Db, VectrosTestServer Server)>> Instance = new(StartAsync);

    public static async Task<VectrosTestServer> GetAsync() => (await Instance.Value).Server;

    private static async Task<(TestDatabase, VectrosTestServer)> StartAsync()
    {
        var db = await TestDatabase.CreateAsync("shared");
        var server = await VectrosTestServer.StartAsync(db.ConnectionString);
        await OutboxLog.InstallAsync(db.ConnectionString);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            // Best effort: stop the server and drop the database when the test host exits.
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            db.DisposeAsync().AsTask().GetAwaiter().GetResult();
        };
        return (db, server);
    }
}
