-- IPersistentState<T> rows (DESIGN §3 "State"): one JSON payload per grain and state name, with an
-- integer ETag that every write checks and bumps.
CREATE TABLE grain_state (
    grain_type text NOT NULL,
    grain_key text NOT NULL,
    state_name text NOT NULL,
    payload jsonb NOT NULL,
    etag integer NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (grain_type, grain_key, state_name)
);
