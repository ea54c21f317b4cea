-- A refresh is looked up by token hash and client. Two changes keep that a one-row index lookup whatever plan a
-- cached statement settles on:
-- * hashes are VARCHAR: as CHAR(64), comparing them with the text the services send cast the column and the
--   primary key could not serve the lookup;
-- * the client index also holds the hash: a generic plan that picks it (an even choice while the table is small)
--   used to read every token of the client, which is nearly all of them for a busy app.
ALTER TABLE refresh_token ALTER COLUMN token_hash TYPE VARCHAR(64);
ALTER TABLE authorization_code ALTER COLUMN code_hash TYPE VARCHAR(64);
DROP INDEX refresh_token_client_idx;
CREATE INDEX refresh_token_client_idx ON refresh_token (client_pk, token_hash);
