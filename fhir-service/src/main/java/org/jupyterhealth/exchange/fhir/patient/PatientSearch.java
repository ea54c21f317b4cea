package org.jupyterhealth.exchange.fhir.patient;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jupyterhealth.exchange.fhir.search.DateRange;
import org.jupyterhealth.exchange.fhir.search.SearchParameters;
import org.jupyterhealth.exchange.fhir.search.SearchRequest;
import org.jupyterhealth.exchange.fhir.search.TokenValue;

/**
 * A Patient search, parsed: patient, study ({@code _has:Group:member:_id} in both spellings) and organization
 * narrow the access question; the rest filter the visible patients' records.
 */
public record PatientSearch(List<List<Long>> patients, List<List<Long>> studies, List<List<Long>> organizations,
        List<List<String>> ids, List<List<TokenValue>> identifiers, List<List<String>> families,
        List<List<String>> givens, List<List<String>> names, List<List<DateRange>> birthdates,
        List<List<DateRange>> lastUpdated, boolean byLastUpdated, boolean descending, boolean otherSource) {

    public static PatientSearch from(SearchRequest request) {
        List<List<Long>> studies = new ArrayList<>(refs(request, SearchParameters.HAS_GROUP, "Group"));
        studies.addAll(refs(request, SearchParameters.PATIENT_HAS_GROUP, "Group"));
        List<List<Long>> organizations = new ArrayList<>(refs(request, "organization", "Organization"));
        organizations.addAll(refs(request, "patient.organization", "Organization"));
        List<List<TokenValue>> identifiers = new ArrayList<>(tokens(request, "identifier"));
        identifiers.addAll(tokens(request, "patient.identifier"));
        var sort = request.sort(List.of("_lastUpdated"));
        boolean otherSource = request.excludesOwnRecords();
        request.count();
        request.page();
        request.cursor();
        return new PatientSearch(refs(request, "patient", "Patient"), studies, organizations, request.orLists("_id"),
                identifiers, lower(request.orLists("family")), lower(request.orLists("given")),
                lower(request.orLists("name")), request.dates("birthdate"), request.dates("_lastUpdated"),
                sort.isPresent(), sort.map(SearchRequest.Sort::descending).orElse(false), otherSource);
    }

    static List<List<Long>> refs(SearchRequest request, String name, String type) {
        return request.orLists(name).stream()
                .map(values -> values.stream().map(v -> SearchRequest.idOf(name, v, type)).toList()).toList();
    }

    static List<List<TokenValue>> tokens(SearchRequest request, String name) {
        return request.orLists(name).stream().map(values -> values.stream().map(TokenValue::parse).toList()).toList();
    }

    static List<List<String>> lower(List<List<String>> lists) {
        return lists.stream().map(l -> l.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList()).toList();
    }
}
