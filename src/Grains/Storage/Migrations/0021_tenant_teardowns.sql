-- Issue #11 item 7: tenant teardown. One row per tenant whose teardown has started, owned by the tenant's grain. The
-- row outlives the tenant (no foreign key to tenants: the tenants row itself is deleted near the end), so the status
-- stays observable as 'deleted'. Its existence is what refuses the tenant's credentials from the moment teardown
-- starts; the durable work is one outbox row (kind 'tenant.teardown') written in the same transaction as this row.
-- progress: deleted-row counts per step (table or purger name), advanced after every batch.
CREATE TABLE tenant_teardowns (
    tenant_id    text        PRIMARY KEY,
    partner_id   uuid        NOT NULL,
    environment  text        NOT NULL CHECK (environment IN ('live', 'test')),
    status       text        NOT NULL CHECK (status IN ('deleting', 'deleted')),
    step         text,
    progress     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    requested_at timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz
);

-- The portal names an environment by partner and live|test, also after the tenants row is gone.
CREATE INDEX tenant_teardowns_partner ON tenant_teardowns (partner_id, environment);
