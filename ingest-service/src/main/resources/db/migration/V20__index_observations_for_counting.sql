-- Read performance (fhir-service): the total of a search counts a patient's observations of the codes the caller
-- may read. With code and time in the index the count is an index-only scan, not a read of every row's JSON.
CREATE INDEX observation_patient_code_updated_idx
    ON observation (subject_patient_id, coding_system, coding_code, last_updated);
