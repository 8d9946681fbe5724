-- Issue #9 items 1 and 9: account-wide users (spec L4548–L4924, API-DELTA-0.40 §8.8) and their invitations.
-- Users are tenant-level (not per context). `email_key` is the lower-cased email: an email is matched
-- case-insensitively (exists-by-email, invites) and held by at most one user per tenant. `account_role` marks the
-- account's OWNERs (the delta's "last OWNER" rule; the spec has no role field, so it is a Vectros extension).
CREATE TABLE users (
    tenant_id         text NOT NULL,
    user_id           uuid NOT NULL,
    external_id       text NOT NULL,
    email             text,
    email_key         text,
    user_type         text NOT NULL DEFAULT 'HUMAN' CHECK (user_type IN ('HUMAN', 'SERVICE')),
    status            text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'SUSPENDED', 'PENDING')),
    account_role      text NOT NULL DEFAULT 'MEMBER' CHECK (account_role IN ('OWNER', 'MEMBER')),
    external_subject  text,
    payload           jsonb NOT NULL DEFAULT '{}',
    schema_id         uuid,
    schema_version    integer,
    schema_context_id text,
    type_name         text,
    created_by        text NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    version           bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, user_id)
);

CREATE UNIQUE INDEX users_external_id ON users (tenant_id, external_id);
CREATE UNIQUE INDEX users_email ON users (tenant_id, email_key) WHERE email_key IS NOT NULL;
CREATE INDEX users_owners ON users (tenant_id) WHERE account_role = 'OWNER';

-- Lookup rows of the bound schema's lookup fields, exactly like entity_lookups (same key rules: LookupKeys).
CREATE TABLE user_lookups (
    tenant_id  text NOT NULL,
    type_name  text NOT NULL,
    field      text NOT NULL,
    value_key  text NOT NULL,
    user_id    uuid NOT NULL,
    value_num  numeric,
    value_text text COLLATE "C",
    is_unique  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, type_name, field, value_key, user_id)
);

CREATE UNIQUE INDEX user_lookups_unique ON user_lookups (tenant_id, type_name, field, value_key) WHERE is_unique;
CREATE INDEX user_lookups_num ON user_lookups (tenant_id, type_name, field, value_num, user_id) WHERE value_num IS NOT NULL;
CREATE INDEX user_lookups_text ON user_lookups (tenant_id, type_name, field, value_text, user_id) WHERE value_text IS NOT NULL;
CREATE INDEX user_lookups_by_user ON user_lookups (tenant_id, user_id);

-- One outstanding invitation per (context, email). Only the SHA-256 of the signed token is kept: a repeat or a
-- resend replaces it, so only the newest link works. `access_profile` is the AccessProfileSpec to grant on accept.
CREATE TABLE user_invites (
    tenant_id      text NOT NULL,
    context_id     text NOT NULL,
    email_key      text NOT NULL,
    user_id        uuid NOT NULL,
    token_hash     bytea NOT NULL,
    expires_at     timestamptz NOT NULL,
    access_profile jsonb NOT NULL,
    first_name     text,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, context_id, email_key)
);

CREATE UNIQUE INDEX user_invites_by_user ON user_invites (tenant_id, user_id);
