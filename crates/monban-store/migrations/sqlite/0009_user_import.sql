-- Cognito's CSV user import jobs (SQLite): the job, its uploaded file, and the rows it
-- did not import. The PostgreSQL migration of the same number creates the same tables.
CREATE TABLE user_import_jobs (
    -- Unique across pools: the pre-signed upload URL names the job only.
    job_id              TEXT    NOT NULL PRIMARY KEY,
    pool_id             TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    job_name            TEXT    NOT NULL,
    -- Created, InProgress, Stopping, Stopped, Failed, Succeeded: also the row's version.
    status              TEXT    NOT NULL,
    logs_role_arn       TEXT    NOT NULL,
    hashing_algorithm   TEXT,
    created_ms          INTEGER NOT NULL,
    started_ms          INTEGER,
    completed_ms        INTEGER,
    completion_message  TEXT,
    imported_users      INTEGER NOT NULL,
    skipped_users       INTEGER NOT NULL,
    failed_users        INTEGER NOT NULL,
    upload_token_hash   TEXT    NOT NULL,
    upload_expires_ms   INTEGER NOT NULL,
    csv                 TEXT
);
CREATE INDEX user_import_jobs_by_pool ON user_import_jobs (pool_id, job_id);

CREATE TABLE user_import_errors (
    job_id   TEXT    NOT NULL REFERENCES user_import_jobs (job_id) ON DELETE CASCADE,
    line     INTEGER NOT NULL,
    username TEXT,
    outcome  TEXT    NOT NULL,
    message  TEXT    NOT NULL,
    PRIMARY KEY (job_id, line)
);
