-- Devices (PostgreSQL): the devices users sign in from, in pools that track devices
-- (NewDeviceMetadata, ConfirmDevice, ListDevices, DEVICE_SRP_AUTH). The SQLite migration
-- of the same number creates the same table. A device goes with its user (and its pool)
-- through ON DELETE CASCADE. As in 0001: BIGINT integers, and the identifiers that foreign
-- keys compare are COLLATE "C" like the columns they reference.

-- Device keys are UUIDs: unique in the pool, and every lookup also names the user.
CREATE TABLE devices (
    pool_id               TEXT COLLATE "C" NOT NULL,
    sub                   TEXT COLLATE "C" NOT NULL,
    device_key            TEXT COLLATE "C" NOT NULL,
    device_group_key      TEXT   NOT NULL,
    verifier_salt         TEXT,            -- hex; NULL until ConfirmDevice
    verifier              TEXT,            -- hex of PAD(v); NULL until ConfirmDevice
    name                  TEXT,
    attributes            TEXT   NOT NULL, -- JSON object, name -> value
    remembered_status     TEXT   NOT NULL, -- remembered | not_remembered
    created_ms            BIGINT NOT NULL,
    modified_ms           BIGINT NOT NULL,
    last_authenticated_ms BIGINT NOT NULL,
    PRIMARY KEY (pool_id, device_key),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX devices_by_user ON devices (pool_id, sub, device_key);
