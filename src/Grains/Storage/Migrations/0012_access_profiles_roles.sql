-- Issue #9 item 2: roles and access profiles per app context (spec L408-L1210, API-DELTA-0.40 §8.5). Both are
-- context-scoped rows (tenant_id, context_id lead every key), written by their grain in one batch with a row in
-- entity_versions (entity kinds 'access_role' and 'access_profile').

-- A role: a named set of scope clauses (stored in the wire's snake_case ScopeClause form).
CREATE TABLE access_roles (
    tenant_id   text NOT NULL,
    context_id  text NOT NULL,
    role_id     text NOT NULL,
    name        text NOT NULL,
    description text,
    scopes      jsonb NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    version     bigint NOT NULL,
    PRIMARY KEY (tenant_id, context_id, role_id)
);

-- A profile: inline scopes XOR a role reference. identity_overrides maps 'scope:<ns>' to a value.
CREATE TABLE access_profiles (
    tenant_id          text NOT NULL,
    context_id         text NOT NULL,
    principal_id       text NOT NULL,
    scopes             jsonb,
    role_id            text,
    identity_overrides jsonb NOT NULL DEFAULT '{}',
    status             text NOT NULL CHECK (status IN ('active', 'suspended')),
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    version            bigint NOT NULL,
    PRIMARY KEY (tenant_id, context_id, principal_id),
    CHECK ((scopes IS NULL) <> (role_id IS NULL))
);

-- "Is this role still referenced?" (DELETE role -> 409) and GET /v1/principals/{id}/profiles.
CREATE INDEX access_profiles_role ON access_profiles (tenant_id, context_id, role_id) WHERE role_id IS NOT NULL;
CREATE INDEX access_profiles_principal ON access_profiles (tenant_id, principal_id, context_id);

-- Whether a principal may hold a profile: a usr_ principal must name an existing user (API-DELTA §8.5). The users
-- table is built by another change (issue #9 item 1); until it exists every well-formed principal passes. PL/pgSQL
-- plans the query only when it runs, so this function is valid before the table exists and works once it does.
CREATE FUNCTION vectros_principal_is_live(tenant text, principal text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF principal NOT LIKE 'usr\_%' THEN
        RETURN true;
    END IF;
    IF to_regclass('users') IS NULL THEN
        RETURN true;
    END IF;
    RETURN EXISTS (SELECT 1 FROM users WHERE tenant_id = tenant AND user_id::text = lower(substr(principal, 5)));
END
$$;
