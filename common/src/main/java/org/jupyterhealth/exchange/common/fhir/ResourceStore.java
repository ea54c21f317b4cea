package org.jupyterhealth.exchange.common.fhir;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The FHIR resource store's protocol facts, shared by the service that writes it (ingest-service) and the one that
 * serves it (fhir-service): which types it keeps, the shape of its ids, the scope under which a type is consented,
 * and the URLs that name a FHIR source (docs/compatibility.md#fhir-resource-store).
 */
public final class ResourceStore {
    /** The types the store keeps; Observation only when it is not Open mHealth (those go to the observation store). */
    public static final List<String> TYPES = List.of("AllergyIntolerance", "CarePlan", "CareTeam", "Condition",
            "Coverage", "Device", "DiagnosticReport", "DocumentReference", "Encounter", "Goal", "Group",
            "Immunization", "Location", "Medication", "MedicationDispense", "MedicationRequest",
            "MedicationStatement", "Observation", "Organization", "Patient", "Practitioner", "PractitionerRole",
            "Procedure", "Provenance", "QuestionnaireResponse", "RelatedPerson", "ServiceRequest");
    private static final Set<String> TYPE_SET = Set.copyOf(TYPES);

    /** The consent scope of a type: the code {@code <Type>} of this system. */
    public static final String SCOPE_SYSTEM = "http://hl7.org/fhir/resource-types";
    /** {@code meta.source} of a stored resource: this prefix and the FHIR source's id. */
    public static final String SOURCE_PREFIX = "https://jupyterhealth.org/fhir/fhir-source/";
    /** The extension that names a stored resource's patient ({@code valueInteger}). */
    public static final String PATIENT_ID_EXTENSION = "https://jupyterhealth.org/fhir/StructureDefinition/patient-id";
    /** The request header that names the FHIR source of a write; it outranks {@code meta.source}. */
    public static final String SOURCE_HEADER = "X-JHE-FHIR-Source-ID";

    private static final Pattern UUID_ID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern SOURCE_ID = Pattern.compile("[1-9][0-9]{0,17}");

    private ResourceStore() {
    }

    public static boolean isStoreType(String type) {
        return type != null && TYPE_SET.contains(type);
    }

    /** Whether an id names a stored resource (a lower-case UUID, as the store gives them). */
    public static boolean isStoreId(String id) {
        return id != null && UUID_ID.matcher(id).matches();
    }

    /** The source id of a {@code meta.source} URL or of the header's value, or null when it names none. */
    public static Long sourceId(String text) {
        if (text == null) {
            return null;
        }
        String id = text.startsWith(SOURCE_PREFIX) ? text.substring(SOURCE_PREFIX.length()) : text;
        return SOURCE_ID.matcher(id).matches() ? Long.valueOf(id) : null;
    }
}
