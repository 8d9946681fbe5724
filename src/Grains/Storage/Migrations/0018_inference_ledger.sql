-- Issue #10 item 4: the prepaid inference balance of an environment (tenant) is a ledger, never a stored figure: a
-- row per top-up (positive cents) and per charge (negative cents); the balance is their sum. `entry_id` makes each
-- write idempotent: a charge's id is chosen by the call that settles it, a top-up's is derived from its `reference`,
-- so a replayed settle or top-up finds its row instead of writing a second one.
CREATE TABLE inference_ledger (
    tenant_id      text NOT NULL REFERENCES tenants (tenant_id),
    entry_id       text NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('top_up', 'charge')),
    amount_cents   bigint NOT NULL,
    model          text,
    endpoint       text CHECK (endpoint IN ('chat', 'rag', 'ask')),
    input_tokens   integer,
    output_tokens  integer,
    context_id     text,
    request_id     text,
    reference      text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, entry_id),
    CHECK ((kind = 'top_up' AND amount_cents > 0 AND reference IS NOT NULL)
        OR (kind = 'charge' AND amount_cents <= 0))
);

-- Balance reads sum one tenant's rows; usage reports read a month of one tenant's rows.
CREATE INDEX inference_ledger_by_time ON inference_ledger (tenant_id, created_at);
