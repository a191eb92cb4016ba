-- The audit trail: one hash chain for the whole server (records survive their pool).
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    time_ms BIGINT NOT NULL,
    pool_id TEXT,
    sub TEXT,
    username TEXT,
    event_id TEXT NOT NULL,
    -- Cognito's EventType of the events AdminListUserAuthEvents reports, else NULL.
    event_type TEXT,
    body TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_user ON audit_log (pool_id, sub, seq);
CREATE INDEX audit_log_time ON audit_log (time_ms);

-- The newest record's number and hash (one row, id = 1): appends lock it.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY,
    last_seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);

-- The signed stand-in for pruned records (one row, id = 1).
CREATE TABLE audit_checkpoint (
    id INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    signature TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);

-- AdminUpdateAuthEventFeedback: beside the chain, whose records never change.
CREATE TABLE audit_feedback (
    pool_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    sub TEXT NOT NULL,
    value TEXT NOT NULL,
    provider TEXT NOT NULL,
    feedback_ms BIGINT NOT NULL,
    PRIMARY KEY (pool_id, event_id)
);
