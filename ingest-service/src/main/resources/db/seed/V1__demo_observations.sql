-- The original's demo observations (docs/compatibility.md#demo-data): one per non-FHIR consent, 9 in all, ids
-- 60001-60009, in consent order. Their Open mHealth data are the example data points with a fresh uuid and creation
-- time, and an effective time one hour from now; no data source, status final, no identifiers. Local run only.
WITH demo(id, patient_id, code_id, code, body) AS (VALUES
    (60001, 40001, 50002, 'omh:blood-pressure:4.0',
     '{"systolic_blood_pressure": {"value": 115, "unit": "mmHg"}, "diastolic_blood_pressure": {"value": 60, "unit": "mmHg"}}'::jsonb),
    (60002, 40001, 50004, 'omh:heart-rate:2.0', '{"heart_rate": {"value": 67.5, "unit": "beats/min"}}'::jsonb),
    (60003, 40002, 50002, 'omh:blood-pressure:4.0',
     '{"systolic_blood_pressure": {"value": 115, "unit": "mmHg"}, "diastolic_blood_pressure": {"value": 60, "unit": "mmHg"}}'::jsonb),
    (60004, 40002, 50004, 'omh:heart-rate:2.0', '{"heart_rate": {"value": 67.5, "unit": "beats/min"}}'::jsonb),
    (60005, 40002, 50002, 'omh:blood-pressure:4.0',
     '{"systolic_blood_pressure": {"value": 115, "unit": "mmHg"}, "diastolic_blood_pressure": {"value": 60, "unit": "mmHg"}}'::jsonb),
    (60006, 40003, 50003, 'omh:body-temperature:4.0',
     '{"body_temperature": {"value": 97, "unit": "F"}, "measurement_location": "forehead"}'::jsonb),
    (60007, 40004, 50005, 'omh:oxygen-saturation:2.0', '{"oxygen_saturation": {"value": 95, "unit": "%"}}'::jsonb),
    (60008, 40005, 50001, 'omh:blood-glucose:4.0', '{"blood_glucose": {"value": 129, "unit": "mg/dL"}}'::jsonb),
    (60009, 40005, 50005, 'omh:oxygen-saturation:2.0', '{"oxygen_saturation": {"value": 95, "unit": "%"}}'::jsonb)
), timed AS (
    SELECT demo.*, date_trunc('second', clock_timestamp()) + interval '1 hour' AS effective,
           to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created
    FROM demo
)
INSERT INTO observation (id, subject_patient_id, codeable_concept_id, coding_system, coding_code, data_source_id,
                         status, omh_data, effective_date_time)
SELECT id, patient_id, code_id, 'https://w3id.org/openmhealth', code, NULL, 'final',
       jsonb_build_object(
           'header', jsonb_build_object(
               'uuid', gen_random_uuid()::text,
               'schema_id', jsonb_build_object('namespace', 'omh', 'name', split_part(code, ':', 2),
                                               'version', split_part(code, ':', 3)),
               'source_creation_date_time', created,
               'modality', 'sensed',
               'external_datasheets', jsonb_build_array(jsonb_build_object('datasheet_type', 'manufacturer',
                                                                           'datasheet_reference', 'iHealth'))),
           'body', body || jsonb_build_object('effective_time_frame', jsonb_build_object(
               'date_time', to_char(effective AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))),
       effective
FROM timed
ORDER BY id;

SELECT setval('observation_seq', GREATEST(60009, (SELECT max(id) FROM observation)));
