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
