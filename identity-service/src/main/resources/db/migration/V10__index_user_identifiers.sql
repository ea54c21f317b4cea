-- The token exchange finds the practitioner an EHR's ID token names by the account's identifier; accounts without
-- one (the empty default) are never looked up, so they stay out of the index.
CREATE INDEX jhe_user_identifier_idx ON jhe_user (identifier) WHERE identifier <> '';
