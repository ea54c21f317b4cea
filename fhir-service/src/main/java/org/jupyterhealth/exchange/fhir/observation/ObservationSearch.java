package org.jupyterhealth.exchange.fhir.observation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jupyterhealth.exchange.fhir.search.PageCursor;
import org.jupyterhealth.exchange.fhir.search.SearchParameters;
import org.jupyterhealth.exchange.fhir.search.SearchRequest;
import org.jupyterhealth.exchange.fhir.search.TokenValue;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

/**
 * An Observation search, parsed and validated: who (patient/subject, study, organization, patient
 * identifier) narrows the access question; code narrows the granted codes; the rest are row conditions. Every list
 * holds a parameter's occurrences (AND), each its comma-separated values (OR).
 */
public record ObservationSearch(List<List<Long>> patients, List<List<Long>> studies, List<List<Long>> organizations,
        List<List<TokenValue>> patientIdentifiers, List<List<TokenValue>> codes, ObservationFilter filter,
        ObservationOrder order, int count, Optional<Integer> page, Optional<PageCursor> cursor, boolean summaryCount,
        boolean totalNeeded, boolean otherSource) {

    /** {@code _source} of the exchange's own records (the only store searched). */
    public static final String OWN_SOURCE = SearchRequest.OWN_SOURCE;

    public static ObservationSearch from(SearchRequest request) {
        List<List<Long>> patients = new ArrayList<>(references(request, "patient", "Patient"));
        patients.addAll(references(request, "subject", "Patient"));
        List<List<Long>> studies = new ArrayList<>(references(request, SearchParameters.PATIENT_HAS_GROUP, "Group"));
        studies.addAll(references(request, SearchParameters.HAS_GROUP, "Group"));
        List<List<Long>> organizations = references(request, "patient.organization", "Organization");
        List<List<TokenValue>> patientIdentifiers = tokens(request, "patient.identifier");
        List<List<TokenValue>> codes = tokens(request, "code");

        List<List<Long>> ids = request.orLists("_id").stream()
                .map(values -> values.stream().map(ObservationSearch::idOrNull).filter(id -> id != null).toList())
                .toList();
        ObservationFilter filter = new ObservationFilter(ids, tokens(request, "identifier"), request.dates("date"),
                request.dates("_lastUpdated"), references(request, "device", "Device"), request.orLists("status"));

        ObservationOrder order = request.sort(List.of("_lastUpdated", "date"))
                .map(s -> ObservationOrder.of(s.key(), s.descending()))
                .orElse(ObservationOrder.LAST_UPDATED_DESC);
        int count = request.count();
        Optional<Integer> page = request.page();
        Optional<PageCursor> cursor = request.cursor();
        if (page.isPresent() && cursor.isPresent()) {
            throw new InvalidRequestException("Use either _page or _cursor, not both.");
        }
        boolean otherSource = request.excludesOwnRecords();
        return new ObservationSearch(patients, studies, organizations, patientIdentifiers, codes, filter, order, count,
                page, cursor, request.summaryCount(), !request.totalNotNeeded(), otherSource);
    }

    private static List<List<Long>> references(SearchRequest request, String name, String type) {
        return request.orLists(name).stream()
                .map(values -> values.stream().map(v -> SearchRequest.idOf(name, v, type)).toList())
                .toList();
    }

    private static List<List<TokenValue>> tokens(SearchRequest request, String name) {
        return request.orLists(name).stream().map(values -> values.stream().map(TokenValue::parse).toList()).toList();
    }

    private static Long idOrNull(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null; // an id of another shape matches nothing
        }
    }
}
