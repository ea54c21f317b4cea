-- One-time tokens of a second purpose: 'reset', the link of a forgotten password's e-mail (POST /o/forgot), which
-- sets a new password on an account that has one. Same table, same rules (SHA-256 only, used once, a new one ends the
-- account's unused ones of its purpose); a shorter lifetime, chosen by the service.
ALTER TABLE account_token DROP CONSTRAINT account_token_purpose_check;
ALTER TABLE account_token ADD CONSTRAINT account_token_purpose_check CHECK (purpose IN ('activation', 'reset'));
