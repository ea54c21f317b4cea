-- The demo FHIR sources: Peter's and Pamela's questionnaire records from their clinics (the original's seed).
INSERT INTO fhir_source (id, patient_id, data_source_id, label, fhir_base_url) VALUES
    (90001, 40001, 70005, 'Records from Halo Health System', 'https://fhir.halo.org/api/FHIR/R4'),
    (90002, 40002, 70005, 'Chart from Comet Clinic', 'https://fhir.comet.org/api/FHIR/R4');
SELECT setval('fhir_source_seq', GREATEST((SELECT max(id) FROM fhir_source), 90002));
