-- Read performance (fhir-service): _sort=-date lists a patient's observations by clinical time, newest first and
-- undated last; this index returns them in that order (and, read backwards, in the order of _sort=date's previous
-- pages), so that a page is read from the index whatever its depth.
CREATE INDEX observation_patient_effective_nulls_last_idx
    ON observation (subject_patient_id, effective_at DESC NULLS LAST, id DESC);
