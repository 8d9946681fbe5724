-- Issue #9 item 8: the admin call log (GET /v1/admin/logs) and the read-access log (GET /v1/admin/access-log).
-- Both are append-only, written in batches by binary COPY from the front ends' buffers (README "Logs"), and never
-- hold a body, a query string, a credential or a sensitive value: only metadata. Rows are purged by age
-- (Vectros:Logs:MaxAge, Vectros:Logs:AccessLogMaxAge), not by context teardown: an audit trail outlives the data.

-- One row per /v1 call. tenant_id is null for a call refused before a tenant was known (a 401): stored, counted,
-- and visible to nobody through the API. route is the route template (/v1/records/{id}), never the raw path.
CREATE TABLE api_call_log (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id        text,
    context_id       text,
    logged_at        timestamptz NOT NULL,
    method           text        NOT NULL,
    resource         text        NOT NULL,
    route            text        NOT NULL,
    status           integer     NOT NULL,
    credential_id    text,
    duration_ms      bigint      NOT NULL,
    request_id       text        NOT NULL,
    error_code       text,
    delegation_chain text
);

-- Every query leads with the tenant and a time window; newest first.
CREATE INDEX api_call_log_tenant_time ON api_call_log (tenant_id, logged_at DESC, id DESC) WHERE tenant_id IS NOT NULL;
-- The retention purge deletes by age across tenants.
CREATE INDEX api_call_log_purge ON api_call_log (logged_at);

-- One row per governed read (spec ReadAccessLogResponse): a read that returned a sensitive field, masked or revealed,
-- or any read of a type whose schema opts in with capabilities.readAccessLog. subjects holds the read item's owners as
-- 'user:<id>' and its ownership scopes 'ns:value', so a subject query matches any of them.
CREATE TABLE read_access_log (
    id                 uuid        PRIMARY KEY,
    tenant_id          text        NOT NULL,
    context_id         text        NOT NULL,
    created_at         timestamptz NOT NULL,
    caller_key_id      text        NOT NULL,
    action             text        NOT NULL,
    resource_type      text        NOT NULL,
    resource_id        text,
    subjects           text[]      NOT NULL DEFAULT '{}',
    revealed_sensitive boolean     NOT NULL,
    sensitive_fields   text[]      NOT NULL DEFAULT '{}',
    audit_disposition  text        NOT NULL,
    retain_until       timestamptz
);

-- Ids are UUIDv7 (time-ordered): pages walk (tenant, context, id) newest first.
CREATE INDEX read_access_log_context ON read_access_log (tenant_id, context_id, id DESC);
CREATE INDEX read_access_log_resource ON read_access_log (tenant_id, context_id, resource_id, id DESC);
CREATE INDEX read_access_log_caller ON read_access_log (tenant_id, caller_key_id, id DESC);
CREATE INDEX read_access_log_subjects ON read_access_log USING gin (subjects);
CREATE INDEX read_access_log_purge ON read_access_log (created_at);
