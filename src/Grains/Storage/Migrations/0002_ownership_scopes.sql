-- Issue #7: ownership is one model (API-DELTA-0.40 §8.1, DESIGN §5a). An item carries user_id plus at most two
-- `ns:value` scopes; the 0.31 org_id/client_id columns become the scopes `org:<id>` and `client:<id>`, kept sorted
-- by namespace (the order OwnershipScopes.Normalise produces) so equal sets compare equal.

ALTER TABLE records ADD COLUMN scopes text[] NOT NULL DEFAULT '{}';
UPDATE records SET scopes = array_remove(ARRAY[
        CASE WHEN client_id IS NOT NULL THEN 'client:' || client_id::text END,
        CASE WHEN org_id IS NOT NULL THEN 'org:' || org_id::text END], NULL)
    WHERE org_id IS NOT NULL OR client_id IS NOT NULL;
DROP INDEX records_by_org;
DROP INDEX records_by_client;
ALTER TABLE records DROP COLUMN org_id, DROP COLUMN client_id;
-- `?scope=` filters and ownership lookups: scopes @> ARRAY['ns:value'] (tenant and context are also bound).
CREATE INDEX records_by_scope ON records USING gin (scopes);

ALTER TABLE folders ADD COLUMN scopes text[] NOT NULL DEFAULT '{}';
UPDATE folders SET scopes = array_remove(ARRAY[
        CASE WHEN client_id IS NOT NULL THEN 'client:' || client_id::text END,
        CASE WHEN org_id IS NOT NULL THEN 'org:' || org_id::text END], NULL)
    WHERE org_id IS NOT NULL OR client_id IS NOT NULL;
ALTER TABLE folders DROP COLUMN org_id, DROP COLUMN client_id;
CREATE INDEX folders_by_scope ON folders USING gin (scopes);

-- Record lifecycle (§2): status is ACTIVE or ARCHIVED; 0.31 allowed any string, and there is no production data
-- that used another value, so anything else becomes ACTIVE.
UPDATE records SET status = 'ACTIVE' WHERE status NOT IN ('ACTIVE', 'ARCHIVED');
ALTER TABLE records ADD CONSTRAINT records_status CHECK (status IN ('ACTIVE', 'ARCHIVED'));

-- expiresAt (§2): a record is deleted, with a tombstone, by the expiry sweep at or after this time.
ALTER TABLE records ADD COLUMN expires_at timestamptz;
CREATE INDEX records_expiring ON records (expires_at) WHERE expires_at IS NOT NULL;

-- indexFailure {code, message} (§2), present only while index_status = 'FAILED'; written by the indexer.
ALTER TABLE records ADD COLUMN index_failure jsonb;

-- The parent check of record and folder writes: the first scope whose namespace is entity-backed and names no
-- entity, else NULL. No namespace is registered before 0003 (namespaces and entities), which replaces this body.
CREATE OR REPLACE FUNCTION vectros_scope_target_missing(tenant text, ctx text, scopes text[]) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT NULL::text $$;

-- Schemas keep their owners inside the stored definition: orgId/clientId become its `scopes` array.
UPDATE schemas SET definition = (definition - 'orgId' - 'clientId') || jsonb_build_object('scopes', to_jsonb(array_remove(ARRAY[
        CASE WHEN definition ->> 'clientId' IS NOT NULL THEN 'client:' || (definition ->> 'clientId') END,
        CASE WHEN definition ->> 'orgId' IS NOT NULL THEN 'org:' || (definition ->> 'orgId') END], NULL)))
    WHERE definition ? 'orgId' OR definition ? 'clientId';
