-- Devices (SQLite): the devices users sign in from, in pools that track devices
-- (NewDeviceMetadata, ConfirmDevice, ListDevices, DEVICE_SRP_AUTH). The PostgreSQL
-- migration of the same number creates the same table. A device goes with its user (and
-- its pool) through ON DELETE CASCADE.

-- Device keys are UUIDs: unique in the pool, and every lookup also names the user.
CREATE TABLE devices (
    pool_id               TEXT    NOT NULL,
    sub                   TEXT    NOT NULL,
    device_key            TEXT    NOT NULL,
    device_group_key      TEXT    NOT NULL,
    verifier_salt         TEXT,             -- hex; NULL until ConfirmDevice
    verifier              TEXT,             -- hex of PAD(v); NULL until ConfirmDevice
    name                  TEXT,
    attributes            TEXT    NOT NULL, -- JSON object, name -> value
    remembered_status     TEXT    NOT NULL, -- remembered | not_remembered
    created_ms            INTEGER NOT NULL,
    modified_ms           INTEGER NOT NULL,
    last_authenticated_ms INTEGER NOT NULL,
    PRIMARY KEY (pool_id, device_key),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX devices_by_user ON devices (pool_id, sub, device_key);
