-- An account that a registration (POST /internal/accounts) found by its e-mail, rather than created, is in use by
-- more than the request that created it. The conditional delete that undoes a failed creation leaves such an
-- account alone. Accounts that exist before this column cannot tell, so they count as registered again.
ALTER TABLE jhe_user ADD COLUMN registered_again BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE jhe_user ALTER COLUMN registered_again SET DEFAULT FALSE;
