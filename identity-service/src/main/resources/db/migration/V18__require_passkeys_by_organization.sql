-- Whether an organization of the account's (admin-service decides which) requires its staff to sign in with a
-- passkey. Kept apart from the person's own choice (passkey_required): an account requires a passkey when either
-- says so, and an organization that stops requiring it leaves the person's own choice as it was.
ALTER TABLE jhe_user ADD COLUMN passkey_required_by_organization BOOLEAN NOT NULL DEFAULT FALSE;
