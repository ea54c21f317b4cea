-- The original's demo OAuth applications (docs/compatibility.md#demo-data) with fixed, documented client ids, plus the
-- demo client allowed the password grant so that the guide's Python example works locally.
INSERT INTO oauth_client (id, client_id, client_secret_hash, name, client_type, grant_types, redirect_uris,
                          skip_authorization, invitation_url)
VALUES
    (1, 'carex',          NULL, 'CareX',          'public', 'authorization_code refresh_token',
        '${public_url}/auth/callback', TRUE, 'https://carex.ai/invitation/CODE'),
    (2, 'commonhealth',   NULL, 'CommonHealth',   'public', 'authorization_code refresh_token',
        '${public_url}/auth/callback', TRUE, 'https://commonhealth.tcp.org?invitation=CODE'),
    (3, 'patient-access', NULL, 'Patient Access', 'public', 'authorization_code refresh_token',
        '${public_url}/auth/callback', TRUE, 'http://localhost:8001/clients/patient-access/?code=CODE'),
    (4, 'jhe-admin-ui',   NULL, 'JHE Admin UI',   'public', 'authorization_code refresh_token',
        '${public_url}/auth/callback', TRUE, NULL),
    -- secret: sof-ehr-launch-dev-secret
    (5, 'sof-ehr-launch',
        'sha256:' || encode(sha256(convert_to('sof-ehr-launch-dev-secret', 'UTF8')), 'hex'),
        'SoF EHR Launch', 'confidential', 'client_credentials', '', TRUE, NULL),
    (6, 'jhe-demo',       NULL, 'JHE Demo Scripts', 'public', 'password refresh_token',
        '${public_url}/auth/callback', TRUE, NULL)
ON CONFLICT (id) DO NOTHING;

SELECT setval('oauth_client_seq', GREATEST((SELECT max(id) FROM oauth_client), 100));
