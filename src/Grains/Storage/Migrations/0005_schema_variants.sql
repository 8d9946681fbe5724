-- Issue #7 item 5: basedOn variants (API-DELTA-0.40 §5, SDK CHANGELOG 0.37.0). A type name may now have several
-- schemas in one context: the shared base (no basedOn) and per-owner variants that name the base directly.
--
-- basedOn and the owner live in the definition jsonb (the one source of truth, snapshotted into history); these
-- generated columns expose them to the unique indexes:
--   * at most one base per (tenant, context, type name);
--   * at most one schema per (tenant, context, type name, owner): the idempotent create stays per owner.
ALTER TABLE schemas
    ADD COLUMN based_on uuid GENERATED ALWAYS AS ((definition ->> 'basedOn')::uuid) STORED,
    ADD COLUMN owner_key text GENERATED ALWAYS AS (
        coalesce(definition ->> 'userId', '') || '|' || coalesce(definition -> 'scopes', '[]'::jsonb)::text) STORED;

ALTER TABLE schemas DROP CONSTRAINT schemas_tenant_id_context_id_type_name_key;

CREATE UNIQUE INDEX schemas_base ON schemas (tenant_id, context_id, type_name) WHERE based_on IS NULL;
CREATE UNIQUE INDEX schemas_owner ON schemas (tenant_id, context_id, type_name, owner_key);
CREATE INDEX schemas_variants ON schemas (tenant_id, context_id, based_on) WHERE based_on IS NOT NULL;
