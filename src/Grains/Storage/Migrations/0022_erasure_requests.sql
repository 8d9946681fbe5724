-- Issue #11 item 8: end-subject erasure requests (spec createErasureRequest / getErasureRequest). A request is
-- tenant-level (it may sweep several contexts), so it has no context_id and a context's teardown leaves it alone.
-- `subject` is the subject as resolved at submission (type, ids, identity home: no personal value). `plan` is the sweep decided on the first run (ids per context and their counts): a rerun after a crash deletes
-- what is left of the same plan and certifies the same counts. `certificate` is the signed certificate, without
-- any erased value (counts, ids' hash, timestamps).
CREATE TABLE erasure_requests (
    tenant_id          text NOT NULL,
    request_id         text NOT NULL,
    status             text NOT NULL CHECK (status IN ('accepted', 'processing', 'completed', 'failed')),
    subject_type       text NOT NULL,
    subject_id         text NOT NULL,
    subject            jsonb NOT NULL,
    context_scope      text[] NOT NULL DEFAULT '{}',
    resolved_context   text NOT NULL,
    audit_disposition  text NOT NULL CHECK (audit_disposition IN ('retain-redacted', 'purge')),
    dry_run            boolean NOT NULL DEFAULT false,
    created_by         text NOT NULL,
    created_at         timestamptz NOT NULL,
    started_at         timestamptz,
    completed_at       timestamptz,
    failure_reason     text,
    plan               jsonb,
    certificate        jsonb,
    PRIMARY KEY (tenant_id, request_id)
);

-- retain-redacted erasure keeps a version row's metadata (who, when, change type, versions, hashes) but removes
-- its content (previous_content, changed_fields). Such a row can no longer be re-hashed, so verify-history
-- checks its sequence and chain links but takes its stored hash as given; redacted_by names the request.
ALTER TABLE entity_versions ADD COLUMN redacted_at timestamptz, ADD COLUMN redacted_by text;
