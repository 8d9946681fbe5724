-- Accounts: a partner owns a live and a test tenant; root keys are stored only as SHA-256 hashes.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE partners (
    partner_id  uuid PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenants (
    tenant_id   text PRIMARY KEY,
    partner_id  uuid NOT NULL REFERENCES partners (partner_id),
    environment text NOT NULL CHECK (environment IN ('live', 'test')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (partner_id, environment)
);

CREATE TABLE root_keys (
    key_id      text PRIMARY KEY,
    tenant_id   text NOT NULL REFERENCES tenants (tenant_id),
    key_hash    bytea NOT NULL UNIQUE,
    label       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

CREATE INDEX root_keys_tenant ON root_keys (tenant_id);
