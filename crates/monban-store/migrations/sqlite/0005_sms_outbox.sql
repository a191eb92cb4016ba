-- Text messages kept when no SMS webhook is configured (SQLite). The PostgreSQL migration
-- of the same number creates the same table. AUTOINCREMENT: ids are never reused, so a
-- reader paging by id sees each message once.
CREATE TABLE sms_outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_ms INTEGER NOT NULL,
    pool_id    TEXT,
    to_number  TEXT    NOT NULL,
    body       TEXT    NOT NULL
);
