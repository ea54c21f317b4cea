package org.jupyterhealth.exchange.fhir.resource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hl7.fhir.r5.model.Enumerations.SearchParamType;
import org.jupyterhealth.exchange.common.fhir.ResourceStore;
import org.jupyterhealth.exchange.fhir.search.SearchParameters;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;

/**
 * The search parameters of each type of the FHIR resource store (docs/compatibility.md#fhir-resource-store): the common
 * ones, and those of the elements the type has in the R5 model ({@code code}, {@code category}, {@code status},
 * {@code identifier}, {@code name}, {@code clinical-status}, {@code encounter}, a clinical date; QuestionnaireResponse's
 * {@code questionnaire} and {@code authored}; Condition's {@code onset-date}, {@code abatement-date},
 * {@code recorded-date} and {@code asserted-date}). ingest-service extracts the same elements when it writes a
 * resource.
 */
public final class StoreSearchParameters {
    /** Date elements a type's clinical date ({@code date}) is taken from; ingest-service's list, in its order. */
    static final List<String> DATE_ELEMENTS = List.of("effective[x]", "occurrence[x]", "authored", "performed[x]",
            "onset[x]", "recordedDate", "issued", "authoredOn", "actualPeriod", "period", "date", "created",
            "recorded", "whenHandedOver", "birthDate");

    /**
     * Date parameters kept as date values of the token table (ingest-service's SearchValues): Condition's own dates.
     */
    static final List<String> CONDITION_DATES = List.of("onset-date", "abatement-date", "recorded-date",
            "asserted-date");

    private StoreSearchParameters() {
    }

    /** The types only the store serves: those with no mapped rendering of their own. */
    public static List<String> storeOnlyTypes() {
        return ResourceStore.TYPES.stream().filter(t -> !SearchParameters.isMappedType(t)).toList();
    }

    public static Map<String, SearchParamType> of(String type) {
        RuntimeResourceDefinition definition = FhirContext.forR5Cached().getResourceDefinition(type);
        Map<String, SearchParamType> params = new LinkedHashMap<>();
        params.put("_id", SearchParamType.TOKEN);
        params.put("_lastUpdated", SearchParamType.DATE);
        params.put("patient", SearchParamType.REFERENCE);
        params.put("subject", SearchParamType.REFERENCE);
        params.put(SearchParameters.PATIENT_HAS_GROUP, SearchParamType.TOKEN);
        params.put(SearchParameters.HAS_GROUP, SearchParamType.TOKEN);
        params.put("patient.organization", SearchParamType.REFERENCE);
        if (definition.getChildByName("code") != null || definition.getChildByName("medication") != null) {
            params.put("code", SearchParamType.TOKEN);
        }
        if (definition.getChildByName("category") != null) {
            params.put("category", SearchParamType.TOKEN);
        }
        if (definition.getChildByName("status") != null) {
            params.put("status", SearchParamType.TOKEN);
        }
        if (definition.getChildByName("clinicalStatus") != null) {
            params.put("clinical-status", SearchParamType.TOKEN);
        }
        if (definition.getChildByName("encounter") != null) {
            params.put("encounter", SearchParamType.REFERENCE);
        }
        if (definition.getChildByName("identifier") != null) {
            params.put("identifier", SearchParamType.TOKEN);
        }
        if (definition.getChildByName("name") != null) {
            params.put("name", SearchParamType.STRING);
        }
        if (DATE_ELEMENTS.stream().anyMatch(e -> definition.getChildByName(e) != null)) {
            params.put("date", SearchParamType.DATE);
        }
        if ("QuestionnaireResponse".equals(type)) {
            params.put("questionnaire", SearchParamType.REFERENCE);
            params.put("authored", SearchParamType.DATE);
        }
        if ("Condition".equals(type)) {
            CONDITION_DATES.forEach(name -> params.put(name, SearchParamType.DATE));
        }
        return params;
    }
}
