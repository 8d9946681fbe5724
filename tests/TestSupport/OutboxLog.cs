using Npgsql;

namespace Vectros.TestSupport;

/// <summary>
/// A copy of every outbox row ever enqueued (<see cref="Table"/>, filled by a trigger), for tests that assert what a
/// write queued: the outbox itself is drained within moments by the indexing handlers, so its rows come and go.
/// Installed on the shared test database only; it is no part of the product's schema.
/// </summary>
public static class OutboxLog
{
    public const string Table = "test_outbox_log";

    public static async Task InstallAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            $"""
            CREATE TABLE IF NOT EXISTS {Table} (
                id bigserial PRIMARY KEY, kind text NOT NULL, tenant_id text NOT NULL, context_id text, payload jsonb NOT NULL);
            CREATE OR REPLACE FUNCTION {Table}_copy() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO {Table} (kind, tenant_id, context_id, payload) VALUES (NEW.kind, NEW.tenant_id, NEW.context_id, NEW.payload);
                RETURN NULL;
            END $$;
            DROP TRIGGER IF EXISTS {Table}_copy ON outbox;
            CREATE TRIGGER {Table}_copy AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION {Table}_copy();
            """, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
