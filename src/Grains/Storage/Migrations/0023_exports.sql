-- Issue #11 item 9: data exports (spec createExport L2411, getExport L2460, API-DELTA-0.40 §11).
-- One row per job; the NDJSON payload lives in the blob store under the job's key. `retain_until` is when the
-- payload and the row go (Vectros:Exports:Retention); the purge is an outbox row due at that time.
CREATE TABLE export_jobs (
    tenant_id      text NOT NULL,
    export_id      text NOT NULL,
    status         text NOT NULL DEFAULT 'accepted' CHECK (status IN ('accepted', 'processing', 'completed', 'failed')),
    scope          text NOT NULL CHECK (scope IN ('tenant', 'subject')),
    subject_type   text,
    subject_id     text,
    request        jsonb NOT NULL,
    manifest       jsonb,
    failure_reason text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    started_at     timestamptz,
    completed_at   timestamptz,
    retain_until   timestamptz,
    PRIMARY KEY (tenant_id, export_id)
);

-- Streamed blobs of the PostgreSQL blob store (IBlobStore.OpenWriteAsync): a payload too large for one bytea value
-- is written as numbered parts, each a row of its own, so neither writer nor reader holds it whole. `offset_bytes`
-- is where the part starts, so a reader can resume at any offset with one indexed query.
CREATE TABLE blob_parts (
    tenant_id    text NOT NULL,
    context_id   text NOT NULL,
    blob_key     text NOT NULL,
    part_no      integer NOT NULL,
    offset_bytes bigint NOT NULL,
    content      bytea NOT NULL,
    PRIMARY KEY (tenant_id, context_id, blob_key, part_no)
);
