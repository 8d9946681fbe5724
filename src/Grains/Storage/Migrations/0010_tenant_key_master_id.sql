-- Which master key wraps a tenant's keys, so a master-key rotation can tell rows it has re-wrapped from rows it has
-- not, and servers holding the new and the previous master keys pick the right one. NULL: wrapped before ids existed
-- (found by trying the configured keys, current first).
ALTER TABLE tenant_keys ADD COLUMN master_key_id text;
