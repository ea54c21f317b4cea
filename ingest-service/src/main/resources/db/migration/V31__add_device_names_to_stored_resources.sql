-- A Device's name as a search value (docs/compatibility.md#fhir-resource-store): a Device's names are elements of
-- their own (value, type, display), which SearchValues did not read as names before. It takes the value of each,
-- in lower case, from every Device written from now on; this takes them from the Devices stored before, as it would,
-- so that a search by name finds those too. No new table or index. lower() is the database's: the same as the
-- service's for every name in ASCII.
INSERT INTO fhir_resource_token (resource_id, resource_type, patient_id, name, system, value)
SELECT DISTINCT r.id, r.resource_type, r.patient_id, 'name', '', lower(n.value)
FROM fhir_resource r
CROSS JOIN LATERAL (
    SELECT element->>'value' AS value
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(r.resource::jsonb->'name') = 'array'
                                   THEN r.resource::jsonb->'name' ELSE '[]'::jsonb END) element
    WHERE jsonb_typeof(element->'value') = 'string'
) n
WHERE r.resource_type = 'Device'
  AND n.value <> '' AND length(n.value) <= 512
  -- written by the new SearchValues already (a Device stored while this ran): not a second time
  AND NOT EXISTS (SELECT 1 FROM fhir_resource_token t
                  WHERE t.resource_id = r.id AND t.name = 'name' AND t.system = '' AND t.value = lower(n.value));
