-- Tables and query texts for Orleans' ADO.NET providers (clustering, grain storage, reminders) on PostgreSQL.
-- The provider packages ship no SQL: they read each operation's text from OrleansQuery by key at start-up and
-- bind their parameters by name (@Name), reading result columns by name. Everything here is ours: our own
-- tables in the project's naming, each operation one statement (data-modifying CTEs instead of PL/pgSQL), with
-- the result columns aliased to the names the providers read. The only fixed names are the OrleansQuery table
-- and its two columns, which the providers query literally.

CREATE TABLE OrleansQuery (
    QueryKey  text PRIMARY KEY,
    QueryText text NOT NULL
);

-- ------------------------------------------------------------------------------------------------ clustering
-- One version row per cluster (DeploymentId = ClusterId): every membership change bumps it, and every change is
-- conditional on the version the silo last read, which is how concurrent silos agree on the table.
CREATE TABLE orleans_membership_version (
    deployment_id text PRIMARY KEY,
    version       integer NOT NULL DEFAULT 0,
    changed_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation (address, port, generation); status is Orleans' SiloStatus (3 = Active, 6 = Dead).
CREATE TABLE orleans_membership (
    deployment_id   text NOT NULL REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    address         text NOT NULL,
    port            integer NOT NULL,
    generation      integer NOT NULL,
    silo_name       text NOT NULL,
    host_name       text NOT NULL,
    status          integer NOT NULL,
    proxy_port      integer,
    suspect_times   text,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $q$
    WITH inserted AS (
        INSERT INTO orleans_membership_version (deployment_id) VALUES (@DeploymentId)
        ON CONFLICT (deployment_id) DO NOTHING
        RETURNING 1)
    SELECT count(*)::integer FROM inserted
$q$),
-- The version row is locked first, so of two silos inserting under the same version one waits and then finds
-- the version moved; the version is bumped only when the row went in.
('InsertMembershipKey', $q$
    WITH expected AS (
        SELECT deployment_id FROM orleans_membership_version
        WHERE deployment_id = @DeploymentId AND version = @Version::integer
        FOR UPDATE),
    inserted AS (
        INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status,
                                        proxy_port, start_time, i_am_alive_time)
        SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
               @StartTime, @IAmAliveTime
        FROM expected
        ON CONFLICT DO NOTHING
        RETURNING deployment_id),
    bumped AS (
        UPDATE orleans_membership_version v SET version = v.version + 1, changed_at = now()
        FROM inserted i WHERE v.deployment_id = i.deployment_id
        RETURNING 1)
    SELECT count(*)::integer FROM bumped
$q$),
('UpdateMembershipKey', $q$
    WITH expected AS (
        SELECT deployment_id FROM orleans_membership_version
        WHERE deployment_id = @DeploymentId AND version = @Version::integer
        FOR UPDATE),
    updated AS (
        UPDATE orleans_membership m
        SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
        FROM expected e
        WHERE m.deployment_id = e.deployment_id
          AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
        RETURNING m.deployment_id),
    bumped AS (
        UPDATE orleans_membership_version v SET version = v.version + 1, changed_at = now()
        FROM updated u WHERE v.deployment_id = u.deployment_id
        RETURNING 1)
    SELECT count(*)::integer FROM bumped
$q$),
-- Heartbeats do not touch the version: they are liveness hints, not membership changes.
('UpdateIAmAlivetimeKey', $q$
    UPDATE orleans_membership SET i_am_alive_time = @IAmAliveTime
    WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$q$),
('MembershipReadRowKey', $q$
    SELECT v.deployment_id AS DeploymentId, m.address AS Address, m.port AS Port, m.generation AS Generation,
           m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
           m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime,
           v.version AS Version
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
        AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    WHERE v.deployment_id = @DeploymentId
$q$),
('MembershipReadAllKey', $q$
    SELECT v.deployment_id AS DeploymentId, m.address AS Address, m.port AS Port, m.generation AS Generation,
           m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
           m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime,
           v.version AS Version
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
    WHERE v.deployment_id = @DeploymentId
$q$),
('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId
$q$),
('GatewaysQueryKey', $q$
    SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
    FROM orleans_membership
    WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$q$),
-- Dead silos' rows are removed once they are older than the configured age (defunct-silo clean-up).
('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM orleans_membership
    WHERE deployment_id = @DeploymentId AND status = 6
      AND i_am_alive_time < @IAmAliveTime AND start_time < @IAmAliveTime
$q$),
-- The per-row variant deletes a dead row only if it is still exactly what the caller read.
('CleanupDefunctSiloEntryKey', $q$
    DELETE FROM orleans_membership
    WHERE deployment_id = @DeploymentId AND status = 6
      AND address = @Address AND port = @Port AND generation = @Generation
      AND i_am_alive_time = @IAmAliveTime AND start_time = @StartTime
      AND suspect_times IS NOT DISTINCT FROM @SuspectTimes::text
$q$);

-- ---------------------------------------------------------------------------------------------- grain storage
-- IPersistentState<T> rows. The key is the whole identity, with a real primary key (so two activations racing
-- to insert cannot both succeed); version is the ETag every write checks and bumps. grain_type is the name the
-- provider is given, which Vectros makes "grain type/state name" (GrainStateKeys) so two grain types never share
-- rows; grain_key is the string part of the grain id ('' for Guid and integer keys).
CREATE TABLE orleans_storage (
    service_id  text NOT NULL,
    grain_type  text NOT NULL,
    grain_id_n0 bigint NOT NULL,
    grain_id_n1 bigint NOT NULL,
    grain_key   text NOT NULL,
    payload     bytea,
    version     integer NOT NULL,
    modified_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, grain_type, grain_id_n0, grain_id_n1, grain_key)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', $q$
    SELECT payload AS PayloadBinary, version AS Version
    FROM orleans_storage
    WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND grain_key = coalesce(@GrainIdExtensionString::text, '')
$q$),
-- A first write (no ETag) inserts version 1 unless a row exists; a later one updates only the version it read.
-- Either way the row returned carries the new version; no row means the ETag was stale.
('WriteToStorageKey', $q$
    WITH updated AS (
        UPDATE orleans_storage SET payload = @PayloadBinary, version = version + 1, modified_at = now()
        WHERE @GrainStateVersion::integer IS NOT NULL
          AND service_id = @ServiceId AND grain_type = @GrainTypeString
          AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
          AND grain_key = coalesce(@GrainIdExtensionString::text, '')
          AND version = @GrainStateVersion::integer
        RETURNING version),
    inserted AS (
        INSERT INTO orleans_storage (service_id, grain_type, grain_id_n0, grain_id_n1, grain_key, payload, version)
        SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, coalesce(@GrainIdExtensionString::text, ''),
               @PayloadBinary, 1
        WHERE @GrainStateVersion::integer IS NULL
        ON CONFLICT DO NOTHING
        RETURNING version)
    SELECT version AS NewGrainStateVersion FROM updated
    UNION ALL
    SELECT version FROM inserted
$q$),
('ClearStorageKey', $q$
    UPDATE orleans_storage SET payload = NULL, version = version + 1, modified_at = now()
    WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND grain_key = coalesce(@GrainIdExtensionString::text, '')
      AND version = @GrainStateVersion::integer
    RETURNING version AS NewGrainStateVersion
$q$),
-- Vectros clears by deleting (DeleteStateOnClear): cleared state leaves no row behind.
('DeleteStorageKey', $q$
    DELETE FROM orleans_storage
    WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND grain_key = coalesce(@GrainIdExtensionString::text, '')
      AND version = @GrainStateVersion::integer
    RETURNING version + 1 AS NewGrainStateVersion
$q$);

-- -------------------------------------------------------------------------------------------------- reminders
-- One row per (grain, reminder name). grain_hash is the grain id's uniform hash as a signed integer: each silo
-- reads the reminders of its hash range on the ring, so a dead silo's range (and its reminders) moves to a live one.
CREATE TABLE orleans_reminders (
    service_id    text NOT NULL,
    grain_id      text NOT NULL,
    reminder_name text NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint NOT NULL,
    grain_hash    integer NOT NULL,
    version       integer NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX orleans_reminders_range ON orleans_reminders (service_id, grain_hash);

-- The columns the reminder provider reads, under the names it reads them by (the four reads below share it).
CREATE VIEW orleans_reminder_rows AS
SELECT service_id, grain_id, reminder_name, grain_hash,
       grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period_ms AS Period, version AS Version
FROM orleans_reminders;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpsertReminderRowKey', $q$
    INSERT INTO orleans_reminders AS r (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period::bigint, @GrainHash, 0)
    ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
        SET start_time = excluded.start_time, period_ms = excluded.period_ms, grain_hash = excluded.grain_hash,
            version = r.version + 1
    RETURNING version AS Version
$q$),
('ReadReminderRowsKey', $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM orleans_reminder_rows
    WHERE service_id = @ServiceId AND grain_id = @GrainId
$q$),
('ReadReminderRowKey', $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM orleans_reminder_rows
    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
$q$),
-- A range (begin, end] that does not wrap around the ring ...
('ReadRangeRows1Key', $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM orleans_reminder_rows
    WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
$q$),
-- ... and one that does.
('ReadRangeRows2Key', $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM orleans_reminder_rows
    WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$q$),
('DeleteReminderRowKey', $q$
    WITH deleted AS (
        DELETE FROM orleans_reminders
        WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
          AND version = @Version::integer
        RETURNING 1)
    SELECT count(*)::integer FROM deleted
$q$),
('DeleteReminderRowsKey', $q$
    DELETE FROM orleans_reminders WHERE service_id = @ServiceId
$q$);
