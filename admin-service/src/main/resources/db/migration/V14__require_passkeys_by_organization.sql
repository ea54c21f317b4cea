-- Whether the organization's staff (the practitioners who are its direct members) must sign in with a passkey. Set
-- by superusers only; identity-service is told which accounts it concerns whenever that can change.
ALTER TABLE organization ADD COLUMN require_passkey BOOLEAN NOT NULL DEFAULT FALSE;
