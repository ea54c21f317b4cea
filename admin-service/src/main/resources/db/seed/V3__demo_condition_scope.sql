-- The Condition scope in the demo studies: the Questionnaire app (70005) also copies a patient's conditions from the
-- clinic's FHIR server, studies 30001 and 30002 request them, and Peter and Pamela consented as they did to their
-- questionnaire responses, so that a practitioner of Lifespan Lab reads a Condition of the store as the original's
-- request collection does.
INSERT INTO codeable_concept (id, coding_system, coding_code, text) VALUES
    (50017, 'http://hl7.org/fhir/resource-types', 'Condition', 'FHIR Condition');

INSERT INTO data_source_supported_scope (data_source_id, scope_code_id) VALUES (70005, 50017);

INSERT INTO study_scope_request (study_id, scope_code_id) VALUES (30001, 50017), (30002, 50017);

INSERT INTO study_patient_scope_consent (study_patient_id, scope_code_id, consented, consented_time) VALUES
    (1, 50017, TRUE, now()), (3, 50017, TRUE, now()), (4, 50017, TRUE, now());

SELECT setval('codeable_concept_seq', GREATEST((SELECT max(id) FROM codeable_concept), 50017));
