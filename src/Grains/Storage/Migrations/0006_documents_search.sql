-- Issue #8: documents, file blobs and upload tickets, the search index (chunks) and the events outbox.
-- Every table leads with (tenant_id, context_id) and every query binds both (DESIGN §4).

-- A document: inline text (source TEXT) or an uploaded file (source FILE). `status` is the 0.40 lifecycle and
-- `index_status` the processing state (DESIGN §5a). `body` is the text: an inline document's own text (always
-- kept), or a file's extracted text unless it was uploaded with storeText:false (then NULL once indexed).
-- `content_version` moves only when the text or the bytes change, so the indexer can tell a re-ingest from a
-- metadata edit and skip work it already did.
CREATE TABLE documents (
    tenant_id       text NOT NULL,
    context_id      text NOT NULL,
    document_id     uuid NOT NULL,
    title           text NOT NULL,
    type_name       text,
    schema_id       uuid,
    schema_version  integer,
    payload         jsonb NOT NULL DEFAULT '{}'::jsonb,
    status          text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'ARCHIVED')),
    index_mode      text NOT NULL CHECK (index_mode IN ('HYBRID', 'SEMANTIC', 'TEXT', 'NONE')),
    index_status    text NOT NULL CHECK (index_status IN
        ('PENDING_UPLOAD', 'UPLOADED', 'EXTRACTING', 'PENDING_INDEX', 'INDEXED', 'SKIPPED', 'STORED', 'FAILED')),
    index_failure   jsonb,
    folder_id       uuid,
    user_id         uuid,
    scopes          text[] NOT NULL DEFAULT '{}',
    external_id     text,
    source          text NOT NULL CHECK (source IN ('TEXT', 'FILE')),
    body            text,
    text_bytes      bigint NOT NULL DEFAULT 0,
    store_text      boolean NOT NULL DEFAULT true,
    file_name       text,
    file_type       text,
    file_size       bigint,
    blob_key        text,
    content_version bigint NOT NULL DEFAULT 1,
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, context_id, document_id)
);

-- externalId is unique within the context (spec DocumentResponse.externalId).
CREATE UNIQUE INDEX documents_external_id ON documents (tenant_id, context_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX documents_by_type ON documents (tenant_id, context_id, type_name, document_id) WHERE type_name IS NOT NULL;
CREATE INDEX documents_by_folder ON documents (tenant_id, context_id, folder_id, document_id) WHERE folder_id IS NOT NULL;
CREATE INDEX documents_by_user ON documents (tenant_id, context_id, user_id, document_id) WHERE user_id IS NOT NULL;
CREATE INDEX documents_by_scope ON documents USING gin (scopes);

-- Lookup rows of schema-bound documents: the same shape as record_lookups (0001 + 0004), keyed by document.
CREATE TABLE document_lookups (
    tenant_id      text NOT NULL,
    context_id     text NOT NULL,
    type_name      text NOT NULL,
    field          text NOT NULL,
    value_key      text NOT NULL,
    document_id    uuid NOT NULL,
    value_num      numeric,
    value_text     text COLLATE "C",
    is_unique      boolean NOT NULL DEFAULT false,
    group_key      text COLLATE "C" NOT NULL DEFAULT '',
    has_sort       boolean NOT NULL DEFAULT false,
    sort_num       numeric NOT NULL DEFAULT 0,
    sort_text      text COLLATE "C" NOT NULL DEFAULT '',
    sort_on_update boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, context_id, type_name, field, value_key, document_id)
);

CREATE UNIQUE INDEX document_lookups_unique ON document_lookups (tenant_id, context_id, type_name, field, value_key) WHERE is_unique;
CREATE INDEX document_lookups_sorted ON document_lookups
    (tenant_id, context_id, type_name, field, value_key, group_key, has_sort, sort_num, sort_text, document_id);
CREATE INDEX document_lookups_num ON document_lookups (tenant_id, context_id, type_name, field, value_num, document_id) WHERE value_num IS NOT NULL;
CREATE INDEX document_lookups_text ON document_lookups (tenant_id, context_id, type_name, field, value_text, document_id) WHERE value_text IS NOT NULL;
CREATE INDEX document_lookups_by_document ON document_lookups (tenant_id, context_id, document_id);

-- What is left of a hard-deleted document: its last state with sensitive values destroyed (no text, no bytes).
CREATE TABLE document_tombstones (
    tenant_id   text NOT NULL,
    context_id  text NOT NULL,
    document_id uuid NOT NULL,
    snapshot    jsonb NOT NULL,
    deleted_by  text NOT NULL,
    deleted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, context_id, document_id)
);

-- The PostgreSQL blob store (the default IBlobStore). Keys are opaque to callers.
CREATE TABLE blobs (
    tenant_id  text NOT NULL,
    context_id text NOT NULL,
    blob_key   text NOT NULL,
    content    bytea NOT NULL,
    size_bytes bigint NOT NULL,
    sha256     bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, context_id, blob_key)
);

-- One row per signed upload URL. The URL carries the ticket id and an HMAC over it; the row makes it single-use
-- (used_at is set in the transaction that stores the bytes) and bounds the size.
CREATE TABLE upload_tickets (
    ticket_id   uuid PRIMARY KEY,
    tenant_id   text NOT NULL,
    context_id  text NOT NULL,
    document_id uuid NOT NULL,
    file_type   text NOT NULL,
    max_bytes   bigint NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX upload_tickets_by_document ON upload_tickets (tenant_id, context_id, document_id);

-- The search index: one row per chunk of a record or document. Everything search filters on is copied onto the
-- chunk (ownership, folder ancestry, type, filterable values), so a search never joins the source tables and a
-- chunk set is replaced whole, in one transaction, when its source is re-indexed.
--   source_version  the source's content version that was indexed (idempotent re-runs skip it)
--   folder_path     the folder and its ancestors (rootFolderId = subtree)
--   filter          filterable payload values and ownership fields, flat: {"field": scalar | [scalars]}
--   metadata        what the search result's `metadata` shows (payload as supplied, sensitive fields removed)
--   lanes           which lanes index it: TEXT, SEMANTIC or HYBRID (= both); embedding is NULL for TEXT
CREATE TABLE chunks (
    tenant_id      text NOT NULL,
    context_id     text NOT NULL,
    source_kind    text NOT NULL CHECK (source_kind IN ('document', 'record')),
    source_id      uuid NOT NULL,
    ordinal        integer NOT NULL,
    source_version bigint NOT NULL,
    index_mode     text NOT NULL CHECK (index_mode IN ('HYBRID', 'SEMANTIC', 'TEXT')),
    type_name      text,
    title          text,
    external_id    text,
    folder_id      uuid,
    folder_path    uuid[] NOT NULL DEFAULT '{}',
    user_id        uuid,
    scopes         text[] NOT NULL DEFAULT '{}',
    filter         jsonb NOT NULL DEFAULT '{}'::jsonb,
    metadata       jsonb NOT NULL DEFAULT '{}'::jsonb,
    source_created timestamptz NOT NULL,
    chunk_text     text NOT NULL,
    context_text   text NOT NULL,
    tsv            tsvector GENERATED ALWAYS AS (
        CASE WHEN index_mode = 'SEMANTIC' THEN NULL ELSE
            setweight(to_tsvector('english', coalesce(title, '')), 'B') || to_tsvector('english', chunk_text) END) STORED,
    embedding      vector(384),
    PRIMARY KEY (tenant_id, context_id, source_kind, source_id, ordinal)
);

CREATE INDEX chunks_tsv ON chunks USING gin (tsv);
-- HNSW over cosine distance; queries run with hnsw.iterative_scan so tenant/context/filter predicates keep recall.
CREATE INDEX chunks_embedding ON chunks USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
CREATE INDEX chunks_by_context ON chunks (tenant_id, context_id, source_kind, type_name);
CREATE INDEX chunks_filter ON chunks USING gin (filter jsonb_path_ops);
CREATE INDEX chunks_by_scope ON chunks USING gin (scopes);
CREATE INDEX chunks_by_folder ON chunks USING gin (folder_path);

-- Durable events outbox (`document.indexed|document.failed|record.indexed|record.failed`), written in the same
-- transaction as the state change it reports. Delivery (webhooks) drains it later (issue #11).
CREATE TABLE events (
    id           bigserial PRIMARY KEY,
    event_id     uuid NOT NULL UNIQUE,
    tenant_id    text NOT NULL,
    context_id   text NOT NULL,
    type         text NOT NULL CHECK (type IN ('document.indexed', 'document.failed', 'record.indexed', 'record.failed')),
    source_id    uuid NOT NULL,
    data         jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    delivered_at timestamptz
);

CREATE INDEX events_undelivered ON events (id) WHERE delivered_at IS NULL;
CREATE INDEX events_by_tenant ON events (tenant_id, context_id, id);
