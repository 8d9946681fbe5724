-- Issue #9 item 4: scoped API keys (ssk_live_/ssk_test_, spec L179-L320, API-DELTA-0.40 §8.6). Like root keys, only the
-- SHA-256 of the raw key is stored. A key is bound to (tenant, context, user) and inherits the user's access profile in
-- that context, read on every authentication cache miss, so nothing about its authority is copied here.
CREATE TABLE scoped_keys (
    key_id       text PRIMARY KEY,
    tenant_id    text NOT NULL REFERENCES tenants (tenant_id),
    context_id   text NOT NULL,
    user_id      text NOT NULL,
    key_name     text NOT NULL,
    label        text,
    user_type    text NOT NULL,
    key_hash     bytea NOT NULL UNIQUE,
    -- The credential that minted the key and, when it bound a user other than its own (delegate-mint), the chain the
    -- admin log reports for every call made with the key (API-DELTA §12).
    created_by   text NOT NULL,
    delegation   text,
    created_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    last_used_at timestamptz
);

-- Idempotent create: one active key per (tenant, context, user, keyName); a revoked one frees the name.
CREATE UNIQUE INDEX scoped_keys_name ON scoped_keys (tenant_id, context_id, user_id, key_name) WHERE revoked_at IS NULL;

-- The list (active keys of the tenant, by key id) and the per-environment key limit count.
CREATE INDEX scoped_keys_tenant ON scoped_keys (tenant_id, key_id) WHERE revoked_at IS NULL;
