-- The admin-owned demo data of the original's seed (docs/compatibility.md#demo-data), with the original's ids.

-- the demo accounts, exactly as identity-service seeds them (read model)
INSERT INTO account (id, email, first_name, last_name, user_type, is_superuser) VALUES
    (10001, 'admin@example.com',                  'Alex',   'Admin',  NULL,           TRUE),
    (10002, 'manager_mary@example.com',           'Mary',   'Mayer',  'practitioner', FALSE),
    (10003, 'member_megan@example.com',           'Megan',  'Moore',  'practitioner', FALSE),
    (10004, 'viewer_victor@example.com',          'Victor', 'Vance',  'practitioner', FALSE),
    (10005, 'three_org_tom@example.com',          'Tom',    'Tanaka', 'practitioner', FALSE),
    (10006, 'll_patient_peter@example.com',       'Peter',  'Park',   'patient',      FALSE),
    (10007, 'll_patient_pamela@example.com',      'Pamela', 'Perez',  'patient',      FALSE),
    (10008, 'manager_mark@example.com',           'Mark',   'Miller', 'practitioner', FALSE),
    (10009, 'npl_patient_percy@example.com',      'Percy',  'Price',  'patient',      FALSE),
    (10010, 'ccl_patient_paul@example.com',       'Paul',   'Patel',  'patient',      FALSE),
    (10011, 'ccl_cardio_patient_pat@example.com', 'Pat',    'Powell', 'patient',      FALSE)
ON CONFLICT (id) DO NOTHING;

INSERT INTO organization (id, name, type, part_of) VALUES
    (20001, 'Planetary Research Institute',  'edu',        0),
    (20002, 'Saturn School of Data Science', 'team',       20001),
    (20003, 'Lifespan Lab',                  'laboratory', 20002),
    (20004, 'Neptune Health System',         'prov',       0),
    (20005, 'Department of Medicine',        'dept',       20004),
    (20006, 'Cardiology Division',           'dept',       20005),
    (20007, 'Neptunian Pulse Lab',           'laboratory', 20006),
    (20008, 'Cosmic Cardio Lab',             'laboratory', 20006);

INSERT INTO practitioner (id, jhe_user_id, identifier, name_family, name_given, settings) VALUES
    (80001, 10002, 'fhir-222', 'Mayer',  'Mary',   '{"currentOrganizationId": 20003, "currentStudyId": 30001}'),
    (80002, 10003, 'fhir-333', 'Moore',  'Megan',  '{"currentOrganizationId": 20003, "currentStudyId": 30001}'),
    (80003, 10004, 'fhir-444', 'Vance',  'Victor', '{"currentOrganizationId": 20003, "currentStudyId": 30001}'),
    (80004, 10005, 'fhir-555', 'Tanaka', 'Tom',    '{"currentOrganizationId": 20008, "currentStudyId": 30005}'),
    (80005, 10008, 'fhir-888', 'Miller', 'Mark',   '{"currentOrganizationId": 20007, "currentStudyId": 30004}');

INSERT INTO practitioner_organization (practitioner_id, organization_id, role) VALUES
    (80001, 20001, 'manager'), (80001, 20002, 'manager'), (80001, 20003, 'manager'),
    (80002, 20003, 'member'),
    (80003, 20003, 'viewer'),
    (80004, 20003, 'viewer'), (80004, 20007, 'member'), (80004, 20008, 'manager'),
    (80005, 20004, 'manager'), (80005, 20005, 'manager'), (80005, 20006, 'manager'), (80005, 20007, 'manager');

INSERT INTO patient (id, jhe_user_id, name_family, name_given, birth_date, telecom_phone) VALUES
    (40001, 10006, 'Park',   'Peter',  '1984-03-12', '+1-510-555-0106'),
    (40002, 10007, 'Perez',  'Pamela', '1979-11-02', '+1-510-555-0107'),
    (40003, 10009, 'Price',  'Percy',  '1991-06-23', '+1-510-555-0109'),
    (40004, 10010, 'Patel',  'Paul',   '1968-01-30', '+1-510-555-0110'),
    (40005, 10011, 'Powell', 'Pat',    '1957-09-14', '+1-510-555-0111');

INSERT INTO patient_organization (patient_id, organization_id) VALUES
    (40001, 20003), (40002, 20003), (40003, 20007), (40004, 20008), (40005, 20006), (40005, 20008);

INSERT INTO patient_identifier (patient_id, system, value) VALUES
    (40001, 'https://openwearables.io/ns/patient-id', 'abc123'),
    (40001, 'urn:oid:1.2.3.4', 'E1234');

INSERT INTO codeable_concept (id, coding_system, coding_code, text) VALUES
    (50001, 'https://w3id.org/openmhealth', 'omh:blood-glucose:4.0', 'Blood glucose'),
    (50002, 'https://w3id.org/openmhealth', 'omh:blood-pressure:4.0', 'Blood pressure'),
    (50003, 'https://w3id.org/openmhealth', 'omh:body-temperature:4.0', 'Body temperature'),
    (50004, 'https://w3id.org/openmhealth', 'omh:heart-rate:2.0', 'Heart Rate'),
    (50005, 'https://w3id.org/openmhealth', 'omh:oxygen-saturation:2.0', 'Oxygen saturation'),
    (50006, 'https://w3id.org/openmhealth', 'omh:respiratory-rate:2.0', 'Respiratory rate'),
    (50007, 'https://w3id.org/openmhealth', 'omh:rr-interval:1.0', 'RR Interval'),
    (50008, 'https://w3id.org/openmhealth', 'omh:body-weight:3.0', 'Body weight'),
    (50009, 'https://w3id.org/openmhealth', 'omh:forced-vital-capacity:1.0', 'Forced vital capacity'),
    (50010, 'https://w3id.org/openmhealth', 'omh:forced-expiratory-volume-1-second:1.0', 'Forced expiratory volume 1 second'),
    (50011, 'http://hl7.org/fhir/resource-types', 'QuestionnaireResponse', 'FHIR QuestionnaireResponse'),
    (50012, 'https://w3id.org/openmhealth', 'omh:physical-activity:1.2', 'Physical activity'),
    (50013, 'https://w3id.org/openmhealth', 'omh:step-count:3.0', 'Step count'),
    (50014, 'https://w3id.org/ieee1752', 'ieee:sleep-stage-summary:1.0', 'Sleep stage summary'),
    (50015, 'https://w3id.org/openmhealth', 'omh:sleep-episode:1.1', 'Sleep episode'),
    (50016, 'https://w3id.org/openmhealth', 'omh:sleep-duration:2.0', 'Sleep duration');

INSERT INTO data_source (id, name, type) VALUES
    (70001, 'CareX', 'personal_device'),
    (70002, 'Dexcom', 'personal_device'),
    (70003, 'iHealth', 'personal_device'),
    (70004, 'Oura', 'personal_device'),
    (70005, 'Questionnaire', 'patient_app'),
    (70006, 'Patient Access API', 'medical_device');

INSERT INTO data_source_supported_scope (data_source_id, scope_code_id) VALUES
    (70001, 50002), (70001, 50004),
    (70002, 50001),
    (70003, 50003), (70003, 50004),
    (70004, 50004),
    (70005, 50011);

-- the patient apps of identity-service's demo clients (ids 1-3 there)
INSERT INTO oauth_client (id, client_id, name, kind, invitation_url) VALUES
    (1, 'carex', 'CareX', 'patient', 'https://carex.ai/invitation/CODE'),
    (2, 'commonhealth', 'CommonHealth', 'patient', 'https://commonhealth.tcp.org?invitation=CODE'),
    (3, 'patient-access', 'Patient Access', 'patient', 'http://localhost:8001/clients/patient-access/?code=CODE');

INSERT INTO client_data_source (client_id, data_source_id) VALUES
    (1, 70001), (1, 70005), (2, 70002), (2, 70003);

INSERT INTO study (id, name, description, organization_id) VALUES
    (30001, 'Lifespan Study on BP & HR', 'Blood Pressure & Heart Rate', 20003),
    (30002, 'Lifespan Study on BP', 'Blood Pressure', 20003),
    (30003, 'Cardiology Div Study on BGL', 'Blood Glucose', 20006),
    (30004, 'Nep Pulse Lab Study on BT', 'Body Temperature', 20007),
    (30005, 'Cosmic Cardio Lab Study on O2', 'Oxygen Saturation', 20008);

INSERT INTO study_scope_request (study_id, scope_code_id) VALUES
    (30001, 50002), (30001, 50004), (30001, 50011),
    (30002, 50002), (30002, 50011),
    (30003, 50001),
    (30004, 50003),
    (30005, 50005);

INSERT INTO study_data_source (study_id, data_source_id) VALUES
    (30001, 70001), (30001, 70005), (30002, 70001), (30002, 70005), (30003, 70002), (30004, 70003);

INSERT INTO study_client (study_id, client_id) VALUES
    (30001, 1), (30001, 3), (30002, 1), (30003, 2), (30004, 2);

INSERT INTO study_patient (id, study_id, patient_id) VALUES
    (1, 30001, 40001), (2, 30002, 40001), (3, 30001, 40002), (4, 30002, 40002),
    (5, 30004, 40003), (6, 30005, 40004), (7, 30003, 40005), (8, 30005, 40005);

INSERT INTO study_patient_scope_consent (study_patient_id, scope_code_id, consented, consented_time) VALUES
    (1, 50002, TRUE, now()), (1, 50004, TRUE, now()), (1, 50011, TRUE, now()),
    (3, 50002, TRUE, now()), (3, 50004, TRUE, now()), (3, 50011, TRUE, now()),
    (4, 50002, TRUE, now()), (4, 50011, TRUE, now()),
    (5, 50003, TRUE, now()),
    (6, 50005, TRUE, now()),
    (7, 50001, TRUE, now()),
    (8, 50005, TRUE, now());

INSERT INTO jhe_setting (key, value_type, value_string, value_int, value_bool, value_json) VALUES
    ('site.url', 'string', '${public_url}', NULL, NULL, NULL),
    ('site.ui.title', 'string', 'JupyterHealth Exchange', NULL, NULL, NULL),
    ('site.time_zone', 'string', 'America/Los_Angeles', NULL, NULL, NULL),
    ('site.registration_invite_code', 'string', 'jhe', NULL, NULL, NULL),
    ('auth.default_orgs', 'string', '', NULL, NULL, NULL),
    ('auth.sso.saml2', 'int', NULL, 0, NULL, NULL),
    ('auth.sso.valid_domains', 'string', '', NULL, NULL, NULL),
    ('auth.patient.invitation_expiration_days', 'int', NULL, 7, NULL, NULL),
    ('auth.patient.invitation_redemption_window_hours', 'int', NULL, 12, NULL, NULL),
    ('auth.patient_access_clients', 'json', NULL, NULL, NULL, '[]'),
    ('auth.sof.trusted_issuers', 'json', NULL, NULL, NULL, '["https://fhir.epic.com/interconnect-fhir-oauth/oauth2"]'),
    ('auth.sof.trusted_audience', 'string', '77849e74-8e2a-4c2f-826c-bdbef6da3357', NULL, NULL, NULL),
    ('module.ow', 'bool', NULL, NULL, FALSE, NULL),
    ('ow.sync_in_progress', 'string', '', NULL, NULL, NULL),
    ('ow.api_url', 'string', 'http://localhost:8001', NULL, NULL, NULL),
    ('ow.api_key', 'string', '', NULL, NULL, NULL);

-- new rows continue after the demo ids
SELECT setval('organization_seq', GREATEST((SELECT max(id) FROM organization), 20008));
SELECT setval('practitioner_seq', GREATEST((SELECT max(id) FROM practitioner), 80005));
SELECT setval('patient_seq', GREATEST((SELECT max(id) FROM patient), 40005));
SELECT setval('codeable_concept_seq', GREATEST((SELECT max(id) FROM codeable_concept), 50016));
SELECT setval('data_source_seq', GREATEST((SELECT max(id) FROM data_source), 70006));
SELECT setval('study_seq', GREATEST((SELECT max(id) FROM study), 30005));
SELECT setval('study_patient_seq', GREATEST((SELECT max(id) FROM study_patient), 8));
