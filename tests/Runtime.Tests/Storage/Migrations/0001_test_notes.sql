-- Migration module "runtime-tests": proves modules after "runtime" are applied and recorded.
CREATE TABLE test_notes (
    id text PRIMARY KEY
);
