-- Cognito's CSV user import jobs (PostgreSQL): the job, its uploaded file, and the rows
-- it did not import. The SQLite migration of the same number creates the same tables.
CREATE TABLE user_import_jobs (
    -- Unique across pools: the pre-signed upload URL names the job only.
    job_id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    pool_id             TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    job_name            TEXT   NOT NULL,
    -- Created, InProgress, Stopping, Stopped, Failed, Succeeded: also the row's version.
    status              TEXT   NOT NULL,
    logs_role_arn       TEXT   NOT NULL,
    hashing_algorithm   TEXT,
    created_ms          BIGINT NOT NULL,
    started_ms          BIGINT,
    completed_ms        BIGINT,
    completion_message  TEXT,
    imported_users      BIGINT NOT NULL,
    skipped_users       BIGINT NOT NULL,
    failed_users        BIGINT NOT NULL,
    upload_token_hash   TEXT   NOT NULL,
    upload_expires_ms   BIGINT NOT NULL,
    csv                 TEXT
);
CREATE INDEX user_import_jobs_by_pool ON user_import_jobs (pool_id, job_id);

CREATE TABLE user_import_errors (
    job_id   TEXT COLLATE "C" NOT NULL REFERENCES user_import_jobs (job_id) ON DELETE CASCADE,
    line     BIGINT NOT NULL,
    username TEXT,
    outcome  TEXT   NOT NULL,
    message  TEXT   NOT NULL,
    PRIMARY KEY (job_id, line)
);
