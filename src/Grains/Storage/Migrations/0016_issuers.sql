-- Issue #9 item 6: external OpenID issuers (API-DELTA-0.40 §8.7) and the users they have signed in.
-- An exchange carries no credential, so the token's own (iss, aud) names the registration: that pair is unique across
-- every tenant. A context has at most one issuer. `bound_at` is set by the first binding and never cleared: an issuer
-- that ever bound a user cannot be deleted (409), so a re-registered pair cannot take over existing accounts.
-- Self-signup policies are kept as the wire's [{signup_type, role_id}] array.
CREATE TABLE auth_issuers (
    tenant_id    text NOT NULL,
    issuer_id    text NOT NULL,
    context_id   text NOT NULL,
    environment  text NOT NULL CHECK (environment IN ('live', 'test')),
    issuer       text NOT NULL,
    jwks_uri     text NOT NULL,
    audience     text NOT NULL,
    sub_claim    text NOT NULL,
    email_claim  text NOT NULL,
    policies     jsonb NOT NULL DEFAULT '[]',
    status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active')),
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL,
    bound_at     timestamptz,
    PRIMARY KEY (tenant_id, issuer_id)
);

CREATE UNIQUE INDEX auth_issuers_pair ON auth_issuers (issuer, audience);
CREATE UNIQUE INDEX auth_issuers_one_per_context ON auth_issuers (tenant_id, context_id) WHERE status = 'active';

-- Which user an external subject is. The subject is the issuer's stable id for the person (the sub claim or the
-- configured one), not a secret; the binding outlives the user only until the next sign-in re-binds it.
CREATE TABLE auth_issuer_bindings (
    tenant_id  text NOT NULL,
    issuer_id  text NOT NULL,
    subject    text NOT NULL,
    user_id    uuid NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, issuer_id, subject)
);
