-- Issue #7 items 2 and 3: scope namespaces and identity entities (API-DELTA-0.40 §8.2, §8.3). The 0.31
-- /v1/orgs and /v1/clients routes are views of the entities in the `org` and `client` namespaces.
--
-- Home context. A namespace registration is either owned by one app context (context_id = that context) or
-- tenant-wide. Tenant-wide rows, and the entities of tenant-wide namespaces, live under the context id ''
-- (an id no app context can have: context ids are 3-31 characters). Every row keeps tenant_id and a home
-- context, so every query still binds both, and a context's teardown (which deletes by its own id) never
-- touches what is shared by the whole tenant.

CREATE TABLE namespaces (
    tenant_id               text NOT NULL,
    context_id              text NOT NULL,
    namespace               text NOT NULL,
    specificity_rank        integer NOT NULL CHECK (specificity_rank BETWEEN 0 AND 1000000),
    entity_backed           boolean NOT NULL DEFAULT false,
    default_schema_id       uuid,
    membership_record_type  text,
    membership_target_field text,
    membership_context_id   text,
    membership_level_field  text,
    membership_levels       text[],
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    version                 bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, context_id, namespace)
);

-- specificityRank orders namespaces when schema resolution ties; it is unique per tenant (§8.2), whoever owns the row.
CREATE UNIQUE INDEX namespaces_rank ON namespaces (tenant_id, specificity_rank);

-- `org` and `client` exist, tenant-wide and entity-backed, in every tenant (API-DELTA §15 item 1); new tenants get
-- them from PartnerGrain, existing ones here.
INSERT INTO namespaces (tenant_id, context_id, namespace, specificity_rank, entity_backed)
SELECT t.tenant_id, '', s.namespace, s.rank, true
FROM tenants t CROSS JOIN (VALUES ('org', 1000), ('client', 2000)) AS s(namespace, rank)
ON CONFLICT DO NOTHING;

-- One identity entity. context_id is its home: the owning context of a context-owned namespace, '' for a
-- tenant-wide one. The bound schema is found at (tenant, schema_context_id, type_name). scopes are the parents
-- (`ns:value`, at most two, sorted by namespace). `version` is the concurrency check of the entity grain.
CREATE TABLE entities (
    tenant_id         text NOT NULL,
    context_id        text NOT NULL,
    entity_id         uuid NOT NULL,
    namespace         text NOT NULL,
    external_id       text NOT NULL,
    name              text,
    status            text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'SUSPENDED')),
    payload           jsonb NOT NULL DEFAULT '{}',
    schema_id         uuid,
    schema_version    integer,
    schema_context_id text,
    type_name         text,
    scopes            text[] NOT NULL DEFAULT '{}',
    user_id           uuid,
    created_by        text NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    version           bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, context_id, entity_id)
);

-- Idempotent create: externalId is unique within a namespace (in its home).
CREATE UNIQUE INDEX entities_external_id ON entities (tenant_id, context_id, namespace, external_id);
CREATE INDEX entities_by_namespace ON entities (tenant_id, context_id, namespace, entity_id);
CREATE INDEX entities_by_user ON entities (tenant_id, context_id, namespace, user_id, entity_id) WHERE user_id IS NOT NULL;
-- `?scope=ns:value` (any parent): scopes @> ARRAY['ns:value'], with tenant, context and namespace bound too.
CREATE INDEX entities_by_scope ON entities USING gin (scopes);

-- Lookup rows of the bound schema's lookup fields, exactly like record_lookups (same key rules: LookupKeys),
-- partitioned by namespace as well, so one schema can serve several namespaces without their values mixing.
CREATE TABLE entity_lookups (
    tenant_id  text NOT NULL,
    context_id text NOT NULL,
    namespace  text NOT NULL,
    type_name  text NOT NULL,
    field      text NOT NULL,
    value_key  text NOT NULL,
    entity_id  uuid NOT NULL,
    value_num  numeric,
    value_text text COLLATE "C",
    is_unique  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, context_id, namespace, type_name, field, value_key, entity_id)
);

CREATE UNIQUE INDEX entity_lookups_unique ON entity_lookups (tenant_id, context_id, namespace, type_name, field, value_key) WHERE is_unique;
CREATE INDEX entity_lookups_num ON entity_lookups (tenant_id, context_id, namespace, type_name, field, value_num, entity_id) WHERE value_num IS NOT NULL;
CREATE INDEX entity_lookups_text ON entity_lookups (tenant_id, context_id, namespace, type_name, field, value_text, entity_id) WHERE value_text IS NOT NULL;
CREATE INDEX entity_lookups_by_entity ON entity_lookups (tenant_id, context_id, entity_id);

-- The parent check of ownership scopes (API-DELTA §2 "Parent check", §8.3), for every writer of `scopes`
-- (records, folders, documents, entities). Returns the first entry whose namespace, resolved for context `ctx`
-- (that context's own registration, else the tenant-wide one), is entity-backed and has no entity with that id
-- visible from `ctx`: a context-owned namespace's entities live in that context, a tenant-wide namespace's in
-- the home ''. NULL when every entry is fine. An unregistered namespace is free-form: its values are not checked.
CREATE OR REPLACE FUNCTION vectros_scope_target_missing(tenant text, ctx text, scopes text[]) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT s.entry
    FROM unnest(scopes) WITH ORDINALITY AS s(entry, ord)
    CROSS JOIN LATERAL (
        SELECT split_part(s.entry, ':', 1) AS ns,
               substr(s.entry, strpos(s.entry, ':') + 1) AS val) p
    CROSS JOIN LATERAL (
        SELECT n.context_id, n.entity_backed FROM namespaces n
        WHERE n.tenant_id = tenant AND n.namespace = p.ns AND n.context_id IN (ctx, '')
        ORDER BY n.context_id = '' LIMIT 1) r
    WHERE r.entity_backed
      AND NOT EXISTS (
        SELECT 1 FROM entities e
        WHERE e.tenant_id = tenant AND e.context_id = r.context_id AND e.namespace = p.ns
          AND e.entity_id = CASE WHEN p.val ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                                 THEN p.val::uuid END)
    ORDER BY s.ord
    LIMIT 1
$$;
