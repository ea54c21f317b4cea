-- The SoF EHR Launch client exchanges its EHR's ID tokens for practitioners' access tokens (RFC 8693).
UPDATE oauth_client
SET grant_types = 'client_credentials urn:ietf:params:oauth:grant-type:token-exchange'
WHERE client_id = 'sof-ehr-launch' AND grant_types = 'client_credentials';
