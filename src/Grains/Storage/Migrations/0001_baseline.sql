-- Baseline of the grains' tables, squashed on 2026-12-02 (issue #6) from the scripts applied before the
-- migration runner kept checksums: 0001_accounts, 0002_app_contexts, 0003_data_model, 0005_record_guards.
-- Two of them had been edited after being applied, so no database could be trusted to match them; there was
-- no production data, so every database is recreated from this file. From here on an applied file is never
-- edited: a change is a new numbered file, and the runner refuses to start when an applied file's checksum
-- differs from the one it recorded.

-- ---------------------------------------------------------------- from 0001_accounts.sql
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

-- ---------------------------------------------------------------- from 0002_app_contexts.sql
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

-- ---------------------------------------------------------------- from 0003_data_model.sql
-- Structured data (issue #3): schemas, records, lookups, references, tombstones, folders, version history,
-- per-tenant keys. Every table leads with (tenant_id, context_id) and every query binds both.

-- Per-tenant keys, wrapped (AES-256-GCM) with the master key from configuration: the data key encrypts
-- sensitive values at rest, the blind key makes their keyed lookup index (HMAC-SHA256).
CREATE TABLE tenant_keys (
    tenant_id     text PRIMARY KEY REFERENCES tenants (tenant_id),
    data_key_enc  bytea NOT NULL,
    blind_key_enc bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE schemas (
    tenant_id      text NOT NULL,
    context_id     text NOT NULL,
    schema_id      uuid NOT NULL,
    type_name      text NOT NULL,
    definition     jsonb NOT NULL,
    schema_version integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    version        bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, context_id, schema_id),
    UNIQUE (tenant_id, context_id, type_name)
);

CREATE TABLE records (
    tenant_id      text NOT NULL,
    context_id     text NOT NULL,
    record_id      uuid NOT NULL,
    type_name      text NOT NULL,
    schema_id      uuid,
    schema_version integer,
    payload        jsonb NOT NULL,
    status         text NOT NULL DEFAULT 'ACTIVE',
    folder_id      uuid,
    user_id        uuid,
    org_id         uuid,
    client_id      uuid,
    external_id    text,
    index_mode     text,
    index_status   text,
    created_by     text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    version        bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, context_id, record_id)
);

CREATE INDEX records_by_type ON records (tenant_id, context_id, type_name, record_id);
CREATE INDEX records_by_folder ON records (tenant_id, context_id, folder_id, record_id) WHERE folder_id IS NOT NULL;
CREATE INDEX records_by_user ON records (tenant_id, context_id, user_id, record_id) WHERE user_id IS NOT NULL;
CREATE INDEX records_by_org ON records (tenant_id, context_id, org_id, record_id) WHERE org_id IS NOT NULL;
CREATE INDEX records_by_client ON records (tenant_id, context_id, client_id, record_id) WHERE client_id IS NOT NULL;
CREATE INDEX records_recent ON records (tenant_id, context_id, updated_at DESC, record_id);
CREATE UNIQUE INDEX records_external_id ON records (tenant_id, context_id, type_name, external_id) WHERE external_id IS NOT NULL;

-- One row per (record, lookup field, value). value_key is the canonical exact-match key (for a sensitive
-- field: hex of the keyed blind-index HMAC, never the plaintext); value_num / value_text serve range and
-- prefix lookups and are always NULL for sensitive fields.
CREATE TABLE record_lookups (
    tenant_id  text NOT NULL,
    context_id text NOT NULL,
    type_name  text NOT NULL,
    field      text NOT NULL,
    value_key  text NOT NULL,
    record_id  uuid NOT NULL,
    value_num  numeric,
    value_text text COLLATE "C",
    is_unique  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, context_id, type_name, field, value_key, record_id)
);

-- Unique lookups are enforced here, so concurrent writers cannot both win.
CREATE UNIQUE INDEX record_lookups_unique ON record_lookups (tenant_id, context_id, type_name, field, value_key) WHERE is_unique;
CREATE INDEX record_lookups_num ON record_lookups (tenant_id, context_id, type_name, field, value_num, record_id) WHERE value_num IS NOT NULL;
CREATE INDEX record_lookups_text ON record_lookups (tenant_id, context_id, type_name, field, value_text, record_id) WHERE value_text IS NOT NULL;
CREATE INDEX record_lookups_by_record ON record_lookups (tenant_id, context_id, record_id);

-- Forward references of reference fields that opt in to reverse lookups (kept internal: DESIGN §5a).
CREATE TABLE record_references (
    tenant_id        text NOT NULL,
    context_id       text NOT NULL,
    source_record_id uuid NOT NULL,
    field            text NOT NULL,
    target_surface   text NOT NULL,
    target_type      text NOT NULL,
    target_id        uuid NOT NULL,
    PRIMARY KEY (tenant_id, context_id, source_record_id, field, target_id)
);

CREATE INDEX record_references_reverse ON record_references (tenant_id, context_id, target_surface, target_id);

-- What is left of a hard-deleted record: its last state with sensitive values destroyed.
CREATE TABLE record_tombstones (
    tenant_id  text NOT NULL,
    context_id text NOT NULL,
    record_id  uuid NOT NULL,
    type_name  text NOT NULL,
    snapshot   jsonb NOT NULL,
    deleted_by text NOT NULL,
    deleted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, context_id, record_id)
);

CREATE TABLE folders (
    tenant_id    text NOT NULL,
    context_id   text NOT NULL,
    folder_id    uuid NOT NULL,
    parent_id    uuid,
    name         text NOT NULL,
    slug         text NOT NULL,
    description  text,
    user_id      uuid,
    org_id       uuid,
    client_id    uuid,
    depth        integer NOT NULL,
    is_protected boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, context_id, folder_id),
    -- Idempotent create by slug + parent; the root (no parent) is unique per context too.
    UNIQUE NULLS NOT DISTINCT (tenant_id, context_id, parent_id, slug)
);

CREATE INDEX folders_children ON folders (tenant_id, context_id, parent_id, folder_id);

-- Immutable history of every audited write, hash-chained per entity: hash = sha256(prev_hash || digest of
-- the row), so editing or deleting any row breaks the chain from there on (`./vectros admin verify-history`).
CREATE TABLE entity_versions (
    tenant_id        text NOT NULL,
    context_id       text NOT NULL,
    entity_kind      text NOT NULL,
    entity_id        text NOT NULL,
    seq              bigint NOT NULL,
    version_id       uuid NOT NULL,
    change_type      text NOT NULL CHECK (change_type IN ('CREATE', 'UPDATE', 'DELETE')),
    previous_version bigint,
    previous_content jsonb,
    changed_fields   jsonb,
    change_reason    text,
    changed_by       text NOT NULL,
    created_at       timestamptz NOT NULL,
    prev_hash        bytea,
    hash             bytea NOT NULL,
    PRIMARY KEY (tenant_id, context_id, entity_kind, entity_id, seq)
);

CREATE UNIQUE INDEX entity_versions_id ON entity_versions (version_id);

-- The newest (seq, hash) of each chain, written in the same statement as the version row. A chain alone cannot
-- show that its newest rows were removed; comparing it with its head can.
CREATE TABLE entity_version_heads (
    tenant_id   text NOT NULL,
    context_id  text NOT NULL,
    entity_kind text NOT NULL,
    entity_id   text NOT NULL,
    seq         bigint NOT NULL,
    hash        bytea NOT NULL,
    PRIMARY KEY (tenant_id, context_id, entity_kind, entity_id)
);

-- The one definition of a version row's digest, used both when writing and when verifying. The fields are
-- encoded as a JSON array, which is unambiguous (no separator can be smuggled inside a value) and tells NULL
-- from an empty string.
CREATE FUNCTION entity_version_hash(
    prev bytea, tenant text, ctx text, kind text, id text, seq bigint, change text, prev_version bigint,
    prev_content jsonb, changed jsonb, reason text, changed_by text, at timestamptz)
RETURNS bytea LANGUAGE sql STABLE AS $$
    SELECT sha256(coalesce(prev, '\x'::bytea) || convert_to(jsonb_build_array(
        tenant, ctx, kind, id, seq, change, prev_version, prev_content, changed, reason, changed_by,
        to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'))::text, 'UTF8'))
$$;

-- ---------------------------------------------------------------- from 0005_record_guards.sql
-- Record writes (issue #3) go to PostgreSQL as one batch: one round trip, one implicit transaction. A
-- precondition (the version the record grain last saw, an existing folder, resolvable references) is a
-- statement in that batch that raises when it does not hold, which rolls the whole write back.
-- sqlstate is a five-character code the writer maps back (VX409 = version conflict, VX400 = invalid input);
-- detail names the failing field and never carries a value.
CREATE FUNCTION vectros_require(ok boolean, sqlstate text, detail text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF ok IS NOT TRUE THEN
        RAISE EXCEPTION USING ERRCODE = sqlstate, MESSAGE = detail;
    END IF;
END
$$;

