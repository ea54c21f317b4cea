-- Failed sign-ins counted per account (by e-mail, whether or not it exists) and per client address, so that
-- password guessing is refused for a while once a threshold is reached in a window. Shared by every replica.
CREATE TABLE login_failure (
    subject        VARCHAR(320) PRIMARY KEY,
    failures       INTEGER      NOT NULL,
    window_start   TIMESTAMPTZ  NOT NULL,
    locked_until   TIMESTAMPTZ
);
