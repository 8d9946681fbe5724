-- Issue #11 items 2, 3, 5: webhook registrations (one environment = one tenant each), the deliveries the events
-- outbox fans out to them, every attempt, and the notices (endpoint.disabled) the portal lists. The database is the
-- truth of delivery state; the registration grain and its reminder only decide when to look at it again.
CREATE TABLE webhook_registrations (
    registration_id       text PRIMARY KEY,
    tenant_id             text NOT NULL,
    partner_id            uuid NOT NULL,
    environment           text NOT NULL CHECK (environment IN ('live', 'test')),
    url                   text NOT NULL,
    event_types           text[] NOT NULL,
    description           text,
    signature_algorithms  text[] NOT NULL,
    status                text NOT NULL CHECK (status IN ('active', 'disabled')),
    disabled_reason       text,
    disabled_at           timestamptz,
    consecutive_failures  integer NOT NULL DEFAULT 0,
    first_failure_at      timestamptz,
    -- Secrets sealed with the tenant's data key (AES-256-GCM, bound to the registration): never stored in clear.
    secret_enc            text NOT NULL,
    previous_secret_enc   text,
    previous_secret_until timestamptz,
    ed25519_private_enc   text,
    ed25519_public_key    text,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    version               integer NOT NULL DEFAULT 1
);

CREATE INDEX webhook_registrations_by_tenant ON webhook_registrations (tenant_id, registration_id);

-- One row per (registration, event): the unique pair makes the fan-out idempotent when a crash repeats it. `body` is
-- the exact envelope sent, so every retry sends the same bytes under the same webhook-id.
CREATE TABLE webhook_deliveries (
    delivery_id      bigserial PRIMARY KEY,
    registration_id  text NOT NULL REFERENCES webhook_registrations (registration_id) ON DELETE CASCADE,
    tenant_id        text NOT NULL,
    event_id         uuid NOT NULL,
    event_type       text NOT NULL,
    body             text NOT NULL,
    status           text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    UNIQUE (registration_id, event_id)
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (registration_id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_time ON webhook_deliveries (registration_id, updated_at) WHERE status = 'failed';

CREATE TABLE webhook_attempts (
    attempt_id       bigserial PRIMARY KEY,
    registration_id  text NOT NULL REFERENCES webhook_registrations (registration_id) ON DELETE CASCADE,
    tenant_id        text NOT NULL,
    delivery_id      bigint NOT NULL REFERENCES webhook_deliveries (delivery_id) ON DELETE CASCADE,
    event_id         uuid NOT NULL,
    event_type       text NOT NULL,
    attempt_number   integer NOT NULL,
    attempted_at     timestamptz NOT NULL,
    status_code      integer,
    succeeded        boolean NOT NULL,
    latency_ms       bigint NOT NULL,
    resolved_address text,
    error            text
);

CREATE INDEX webhook_attempts_by_registration ON webhook_attempts (registration_id, attempt_id DESC);

CREATE TABLE webhook_notices (
    notice_id        bigserial PRIMARY KEY,
    registration_id  text NOT NULL REFERENCES webhook_registrations (registration_id) ON DELETE CASCADE,
    tenant_id        text NOT NULL,
    type             text NOT NULL CHECK (type IN ('endpoint.disabled')),
    reason           text NOT NULL,
    created_at       timestamptz NOT NULL
);

CREATE INDEX webhook_notices_by_registration ON webhook_notices (registration_id, notice_id DESC);
