-- The mail log, which is also the durable send queue (SMTP configured): every message with
-- its pool, user, purpose and outcome. The text (subject, body: they carry the code) is
-- kept only until the message is sent or has failed. `pool_id` '' is "no pool";
-- `recipient` is the lower-cased address the per-recipient limit counts.
CREATE TABLE mail_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL,
    pool_id         TEXT    NOT NULL,
    user_sub        TEXT,
    purpose         TEXT    NOT NULL,
    recipient       TEXT    NOT NULL,
    to_addr         TEXT    NOT NULL,
    from_addr       TEXT    NOT NULL,
    reply_to        TEXT,
    subject         TEXT,
    body            TEXT,
    status          TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER,
    lease           TEXT,
    lease_until_ms  INTEGER,
    smtp_reply      TEXT,
    reason          TEXT
);
CREATE INDEX mail_log_due ON mail_log (status, next_attempt_ms);
CREATE INDEX mail_log_pool ON mail_log (pool_id, created_ms);
CREATE INDEX mail_log_recipient ON mail_log (pool_id, recipient, created_ms);
