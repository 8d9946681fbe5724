-- Platform signing keys for st_ scoped tokens (issue #9 item 5). ES256 (P-256) key pairs: the public key as a
-- SubjectPublicKeyInfo, the private key as PKCS#8 wrapped (AES-256-GCM) under Vectros:Security:MasterKey with the
-- associated data 'signing|<kid>'. Exactly one key signs at a time (retired_at IS NULL). A rotation retires it:
-- its private key is destroyed, and its public key stays published (JWKS, verification) until publish_until, which
-- is past the expiry of every token it can have signed, so a rotation never invalidates a live token.
CREATE TABLE signing_keys (
    kid             text PRIMARY KEY,
    algorithm       text NOT NULL CHECK (algorithm = 'ES256'),
    public_key      bytea NOT NULL,
    private_key_enc bytea,
    created_at      timestamptz NOT NULL DEFAULT now(),
    activated_at    timestamptz NOT NULL DEFAULT now(),
    -- When automatic rotation replaces the key (created + the rotation period; 1000 years on when rotation is manual only).
    retire_after    timestamptz NOT NULL,
    retired_at      timestamptz,
    publish_until   timestamptz,
    CHECK ((retired_at IS NULL) = (publish_until IS NULL)),
    CHECK (retired_at IS NULL OR private_key_enc IS NULL)
);

-- One signing key, whatever silos race to rotate.
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys ((true)) WHERE retired_at IS NULL;
