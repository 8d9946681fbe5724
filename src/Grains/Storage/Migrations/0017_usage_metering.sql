-- Issue #10 items 4 and 6: monthly usage counters and the plan of each partner.
-- One row per (tenant, month, context, metric). The usage grain of a tenant and month flushes its pending increments
-- with additive upserts (value = value + excluded.value), so two activations of that grain (possible for a moment
-- after a silo failure) each add only what they counted: a flushed batch is never lost or counted twice.
-- Credits are not stored: the rate card derives them from the counts when a report or an allowance check needs them.
CREATE TABLE usage_counters (
    tenant_id   text   NOT NULL,
    period      text   NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
    context_id  text   NOT NULL,
    metric      text   NOT NULL,
    value       bigint NOT NULL,
    PRIMARY KEY (tenant_id, period, context_id, metric)
);

-- The plan sets the monthly credit allowance each environment of the partner gets. No row = the configured default.
CREATE TABLE partner_plans (
    partner_id  uuid        PRIMARY KEY REFERENCES partners (partner_id),
    plan        text        NOT NULL,
    updated_at  timestamptz NOT NULL
);
