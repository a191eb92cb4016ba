-- Failures counted against names a pool does not have (PreventUserExistenceErrors), so that
-- an unknown name reaches the lockout and the code attempt limit as an existing user does.
-- `name` is normalised as usernames are; `purpose` is `sign_in` or a code purpose.
CREATE TABLE decoy_attempts (
    pool_id         TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    purpose         TEXT    NOT NULL,
    failures        INTEGER NOT NULL,
    last_failure_ms INTEGER,
    expires_ms      INTEGER NOT NULL,
    PRIMARY KEY (pool_id, name, purpose)
);
CREATE INDEX decoy_attempts_expiry ON decoy_attempts (expires_ms);
