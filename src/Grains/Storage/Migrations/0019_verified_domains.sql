-- Issue #11: domains a partner proved it controls (a DNS TXT challenge), which webhook URLs must sit on, and the
-- nonces of signed developer-portal calls (a replayed signed call is refused).

CREATE TABLE verified_domains (
    domain_id       text PRIMARY KEY,
    partner_id      uuid NOT NULL REFERENCES partners (partner_id),
    domain          text NOT NULL,
    -- The random value the partner publishes in TXT at _vectros-challenge.<domain>; not a secret once published.
    challenge_token text NOT NULL,
    status          text NOT NULL CHECK (status IN ('pending', 'verified')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    verified_at     timestamptz,
    last_checked_at timestamptz,
    last_error      text,
    UNIQUE (partner_id, domain)
);

CREATE TABLE portal_nonces (
    nonce   text PRIMARY KEY,
    seen_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX portal_nonces_by_age ON portal_nonces (seen_at);
