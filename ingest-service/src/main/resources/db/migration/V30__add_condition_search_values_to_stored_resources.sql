-- Search values added to what a stored resource is searched by (docs/compatibility.md#fhir-resource-store): the
-- clinical status (clinical-status) of a Condition or AllergyIntolerance, the encounter (encounter) of any type, and a
-- Condition's own dates (onset-date, abatement-date, recorded-date, asserted-date). ingest-service's SearchValues
-- takes them from every resource written from now on; this takes them from the resources stored before, as it would,
-- so that a search by them finds those too. The dates are kept in the token table as UTC instants at a fixed width
-- (SearchValues.DATE_TOKEN), whose texts compare as the instants do: they are replaced and deleted with the
-- resource's other search values, and a search probes them by resource as it probes tokens. No new table or index.

-- a FHIR date or dateTime as SearchValues writes it: a partial date is its first instant (in UTC)
CREATE FUNCTION pg_temp.date_token(value text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT to_char((CASE
            WHEN value ~ '^\d{4}$' THEN value || '-01-01T00:00:00Z'
            WHEN value ~ '^\d{4}-\d{2}$' THEN value || '-01T00:00:00Z'
            WHEN value ~ '^\d{4}-\d{2}-\d{2}$' THEN value || 'T00:00:00Z'
            ELSE value END)::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

-- the resources that may hold one of these values (a text test first: most stored resources hold none)
CREATE TEMPORARY TABLE candidate ON COMMIT DROP AS
SELECT r.id, r.resource_type, r.patient_id, r.resource::jsonb AS resource
FROM fhir_resource r
WHERE r.resource LIKE '%"clinicalStatus"%' OR r.resource LIKE '%"encounter"%'
   OR (r.resource_type = 'Condition' AND (r.resource LIKE '%"onset%' OR r.resource LIKE '%"abatement%'
       OR r.resource LIKE '%"recordedDate"%' OR r.resource LIKE '%condition-assertedDate%'));

INSERT INTO fhir_resource_token (resource_id, resource_type, patient_id, name, system, value)
SELECT DISTINCT c.id, c.resource_type, c.patient_id, v.name, v.system, v.value
FROM candidate c
CROSS JOIN LATERAL (
    SELECT 'clinical-status' AS name, coalesce(coding->>'system', '') AS system, coding->>'code' AS value
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(c.resource->'clinicalStatus'->'coding') = 'array'
                                   THEN c.resource->'clinicalStatus'->'coding' ELSE '[]'::jsonb END) coding
    UNION ALL
    SELECT 'encounter', '', c.resource->'encounter'->>'reference'
    UNION ALL
    SELECT d.name, '', pg_temp.date_token(d.value)
    FROM (VALUES
            ('onset-date', coalesce(c.resource->>'onsetDateTime', c.resource->'onsetPeriod'->>'start',
                                    c.resource->'onsetPeriod'->>'end')),
            ('abatement-date', coalesce(c.resource->>'abatementDateTime', c.resource->'abatementPeriod'->>'start',
                                        c.resource->'abatementPeriod'->>'end')),
            ('recorded-date', c.resource->>'recordedDate'),
            ('asserted-date', (SELECT e->>'valueDateTime'
                               FROM jsonb_array_elements(CASE WHEN jsonb_typeof(c.resource->'extension') = 'array'
                                                              THEN c.resource->'extension' ELSE '[]'::jsonb END) e
                               WHERE e->>'url' = 'http://hl7.org/fhir/StructureDefinition/condition-assertedDate'
                               LIMIT 1))) d(name, value)
    WHERE c.resource_type = 'Condition' AND d.value IS NOT NULL
) v
WHERE v.value IS NOT NULL AND v.value <> '' AND length(v.value) <= 512 AND length(v.system) <= 512
  -- a type without such an element in R5 keeps none (SearchValues reads the model's elements)
  AND (v.name <> 'clinical-status' OR c.resource_type IN ('Condition', 'AllergyIntolerance'));
