package org.jupyterhealth.exchange.fhir.search;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.hl7.fhir.r5.model.Enumerations.SearchParamType;
import org.jupyterhealth.exchange.common.fhir.ResourceStore;
import org.jupyterhealth.exchange.fhir.resource.StoreSearchParameters;

/**
 * The search parameters each resource type supports, in one place: the searches read them, the
 * CapabilityStatement lists them, and {@code Prefer: handling=strict} refuses any other.
 */
public final class SearchParameters {
    /** Study membership, as the guide and jupyterhealth-client spell it. */
    public static final String HAS_GROUP = "_has:Group:member:_id";
    /** Study membership, as the original's newest code spells it. */
    public static final String PATIENT_HAS_GROUP = "patient._has:Group:member:_id";

    /** Result-control parameters every search accepts. */
    public static final Set<String> CONTROL = Set.of("_count", "_page", "_cursor", "_sort", "_summary", "_total",
            "_format", "_pretty", "_source", "_source:below");

    private static final Map<String, Map<String, SearchParamType>> BY_TYPE = new LinkedHashMap<>();
    private static final Set<String> MAPPED = new LinkedHashSet<>();
    /** The parameters of each type's resources in the FHIR resource store (a mapped type's too). */
    private static final Map<String, Map<String, SearchParamType>> STORE_BY_TYPE = new LinkedHashMap<>();

    static {
        Map<String, SearchParamType> observation = common();
        observation.put("patient", SearchParamType.REFERENCE);
        observation.put("subject", SearchParamType.REFERENCE);
        observation.put(PATIENT_HAS_GROUP, SearchParamType.TOKEN);
        observation.put(HAS_GROUP, SearchParamType.TOKEN);
        observation.put("patient.organization", SearchParamType.REFERENCE);
        observation.put("patient.identifier", SearchParamType.TOKEN);
        observation.put("code", SearchParamType.TOKEN);
        observation.put("date", SearchParamType.DATE);
        observation.put("identifier", SearchParamType.TOKEN);
        observation.put("device", SearchParamType.REFERENCE);
        observation.put("status", SearchParamType.TOKEN);
        BY_TYPE.put("Observation", observation);

        Map<String, SearchParamType> patient = common();
        patient.put("identifier", SearchParamType.TOKEN);
        patient.put("family", SearchParamType.STRING);
        patient.put("given", SearchParamType.STRING);
        patient.put("name", SearchParamType.STRING);
        patient.put("birthdate", SearchParamType.DATE);
        patient.put("organization", SearchParamType.REFERENCE);
        patient.put("patient", SearchParamType.REFERENCE);
        patient.put("patient.organization", SearchParamType.REFERENCE);
        patient.put("patient.identifier", SearchParamType.TOKEN);
        patient.put(HAS_GROUP, SearchParamType.TOKEN);
        patient.put(PATIENT_HAS_GROUP, SearchParamType.TOKEN);
        BY_TYPE.put("Patient", patient);

        Map<String, SearchParamType> group = common();
        group.put("name", SearchParamType.STRING);
        BY_TYPE.put("Group", group);

        Map<String, SearchParamType> organization = common();
        organization.put("name", SearchParamType.STRING);
        organization.put("partof", SearchParamType.REFERENCE);
        BY_TYPE.put("Organization", organization);

        Map<String, SearchParamType> device = common();
        device.put("device-name", SearchParamType.STRING);
        device.put("type", SearchParamType.TOKEN);
        BY_TYPE.put("Device", device);

        Map<String, SearchParamType> practitioner = common();
        practitioner.put("identifier", SearchParamType.TOKEN);
        practitioner.put("name", SearchParamType.STRING);
        BY_TYPE.put("Practitioner", practitioner);
        MAPPED.addAll(BY_TYPE.keySet());

        // the FHIR resource store's own types (docs/compatibility.md#fhir-resource-store)
        for (String type : StoreSearchParameters.storeOnlyTypes()) {
            BY_TYPE.put(type, StoreSearchParameters.of(type));
        }
        for (String type : ResourceStore.TYPES) {
            STORE_BY_TYPE.put(type, StoreSearchParameters.of(type));
        }
    }

    /**
     * The search parameters of the type's resources in the FHIR resource store: for a mapped type (Observation,
     * Patient, ...) those of a search that names FHIR sources ({@code _source}), which searches the store.
     */
    public static Map<String, SearchParamType> ofStore(String type) {
        return STORE_BY_TYPE.getOrDefault(type, Map.of());
    }

    /** Whether a search of the type knows the parameter, in the exchange's own records or in the store. */
    public static boolean accepts(String type, String name) {
        return CONTROL.contains(name) || of(type).containsKey(name) || ofStore(type).containsKey(name);
    }

    /** Whether the type has a rendering of the exchange's own records (Observation, Patient, Group, ...). */
    public static boolean isMappedType(String type) {
        return MAPPED.contains(type);
    }

    private SearchParameters() {
    }

    private static Map<String, SearchParamType> common() {
        Map<String, SearchParamType> params = new LinkedHashMap<>();
        params.put("_id", SearchParamType.TOKEN);
        params.put("_lastUpdated", SearchParamType.DATE);
        return params;
    }

    /** The resource types served, in the order the CapabilityStatement lists them. */
    public static List<String> types() {
        return List.copyOf(BY_TYPE.keySet());
    }

    public static boolean isSupportedType(String type) {
        return BY_TYPE.containsKey(type);
    }

    /** The search parameters of {@code type} and their FHIR types. */
    public static Map<String, SearchParamType> of(String type) {
        return BY_TYPE.getOrDefault(type, Map.of());
    }
}
