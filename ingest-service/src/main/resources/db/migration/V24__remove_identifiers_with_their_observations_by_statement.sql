-- Upload performance: the foreign key from observation_identifier to observation checked every stored identifier
-- with a query of its own (planned anew for each row, as ingest-service plans every statement for its execution).
-- Identifiers are only ever written by the statement that stores their observations, with those observations' new
-- ids; what the key still did, removing identifiers with their observations, is now done once per deleting
-- statement.
ALTER TABLE observation_identifier DROP CONSTRAINT IF EXISTS observation_identifier_observation_id_fkey;

CREATE FUNCTION observation_identifiers_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM ${flyway:defaultSchema}.observation_identifier;
    ELSE
        DELETE FROM ${flyway:defaultSchema}.observation_identifier i USING old_rows o WHERE i.observation_id = o.id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER observation_identifiers_removed AFTER DELETE ON observation
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION observation_identifiers_removed();
CREATE TRIGGER observation_identifiers_truncated AFTER TRUNCATE ON observation
    FOR EACH STATEMENT EXECUTE FUNCTION observation_identifiers_removed();

-- identifiers left by observations deleted before this migration ran under another rule (none expected)
DELETE FROM observation_identifier i WHERE NOT EXISTS (SELECT 1 FROM observation o WHERE o.id = i.observation_id);
