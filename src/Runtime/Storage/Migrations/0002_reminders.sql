-- Durable reminders (DESIGN §3 "Reminders"): silos lease due rows (lease_owner, lease_until) so each
-- tick is delivered once; next_due is indexed for the poll.
CREATE TABLE reminders (
    grain_type text NOT NULL,
    grain_key text NOT NULL,
    reminder_name text NOT NULL,
    period_ms bigint NOT NULL CHECK (period_ms > 0),
    first_due timestamptz NOT NULL,
    next_due timestamptz NOT NULL,
    lease_owner text,
    lease_until timestamptz,
    PRIMARY KEY (grain_type, grain_key, reminder_name)
);

CREATE INDEX reminders_next_due_idx ON reminders (next_due);
