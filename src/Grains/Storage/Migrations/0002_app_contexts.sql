-- App contexts partition a tenant's data; `version` is the optimistic-concurrency token (DESIGN §3).
CREATE TABLE app_contexts (
    tenant_id   text NOT NULL REFERENCES tenants (tenant_id),
    context_id  text NOT NULL,
    name        text NOT NULL,
    description text,
    status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'purging', 'deleted')),
    is_reserved boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, context_id)
);

-- Durable asynchronous work (teardown now; indexing, webhooks, erasure later), drained with
-- FOR UPDATE SKIP LOCKED so nothing is lost on a crash and several silos never take the same row.
CREATE TABLE outbox (
    id           bigserial PRIMARY KEY,
    kind         text NOT NULL,
    tenant_id    text NOT NULL,
    context_id   text,
    payload      jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    available_at timestamptz NOT NULL DEFAULT now(),
    attempts     integer NOT NULL DEFAULT 0,
    last_error   text,
    lease_owner  text,
    lease_until  timestamptz
);

-- Workers lease by kind: rows of kinds nobody drains yet (indexing before the search worker exists) must not
-- be scanned on every poll, so kind leads the index.
CREATE INDEX outbox_due ON outbox (kind, available_at, id);
