-- Passkeys (WebAuthn credentials) with which a person signs in instead of a password. The public key is kept as the
-- authenticator sent it (a COSE_Key), with the signature counter of its last use: an assertion whose counter does
-- not move forward comes from a cloned authenticator and is refused. The label is the person's own name for it.
CREATE TABLE passkey (
    id             BIGSERIAL    PRIMARY KEY,
    user_id        BIGINT       NOT NULL REFERENCES jhe_user (id) ON DELETE CASCADE,
    credential_id  BYTEA        NOT NULL,
    public_key     BYTEA        NOT NULL,
    sign_count     BIGINT       NOT NULL,
    label          VARCHAR(64)  NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_used_at   TIMESTAMPTZ,
    -- a credential belongs to one account: registering it a second time (by anyone) is refused
    CONSTRAINT passkey_credential_id_key UNIQUE (credential_id)
);
CREATE INDEX passkey_user_idx ON passkey (user_id);

-- The challenges handed to browsers for a registration (bound to the signed-in account) or a sign-in (bound to no
-- one until a passkey answers it). Only their SHA-256 is stored; each is deleted by the one attempt that uses it, and
-- expired ones by a periodic job.
CREATE TABLE passkey_challenge (
    challenge_hash VARCHAR(64)  PRIMARY KEY,
    purpose        VARCHAR(20)  NOT NULL,
    user_id        BIGINT       REFERENCES jhe_user (id) ON DELETE CASCADE,
    expires_at     TIMESTAMPTZ  NOT NULL,
    CONSTRAINT passkey_challenge_purpose_check CHECK (purpose IN ('registration', 'authentication')),
    CONSTRAINT passkey_challenge_user_check CHECK ((purpose = 'registration') = (user_id IS NOT NULL))
);
CREATE INDEX passkey_challenge_expires_idx ON passkey_challenge (expires_at);

-- An account that requires a passkey is refused a password sign-in once it has one (the password still serves a
-- reset link, never a sign-in).
ALTER TABLE jhe_user ADD COLUMN passkey_required BOOLEAN NOT NULL DEFAULT FALSE;
