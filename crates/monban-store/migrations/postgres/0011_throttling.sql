-- Failures counted against names a pool does not have (PreventUserExistenceErrors), so that
-- an unknown name reaches the lockout and the code attempt limit as an existing user does.
-- `name` is normalised as usernames are; `purpose` is `sign_in` or a code purpose.
CREATE TABLE decoy_attempts (
    pool_id         TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name            TEXT COLLATE "C" NOT NULL,
    purpose         TEXT COLLATE "C" NOT NULL,
    failures        BIGINT NOT NULL,
    last_failure_ms BIGINT,
    expires_ms      BIGINT NOT NULL,
    PRIMARY KEY (pool_id, name, purpose)
);
CREATE INDEX decoy_attempts_expiry ON decoy_attempts (expires_ms);
