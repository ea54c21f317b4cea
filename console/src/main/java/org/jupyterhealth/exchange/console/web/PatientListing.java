package org.jupyterhealth.exchange.console.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a patient list shows: the organization, the search term, the order and the page; it writes the addresses of
 * the other pages and orders, so that paging keeps the search and a new order starts again at page one.
 *
 * @param search   the search term, or null
 * @param sort     the order as the admin API spells it ({@code name}, {@code -birthDate}...), or null for its own
 */
public record PatientListing(long organizationId, String search, String sort, int page, int pages) {
    /** The orders a column header offers, as the admin API names them. */
    static final List<String> FIELDS = List.of("name", "email", "birthDate");
    static final int MAX_SEARCH = 100;

    /** The checked search term: none when blank; at most 100 characters, no control characters. */
    static String search(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String term = value.strip();
        if (term.length() > MAX_SEARCH || term.chars().anyMatch(Character::isISOControl)) {
            throw new Inputs.BadInput("The search must be at most " + MAX_SEARCH
                    + " characters, without control characters.");
        }
        return term;
    }

    /** The checked order: none, or a field of {@link #FIELDS} with or without {@code -}. */
    static String sort(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String field = value.startsWith("-") ? value.substring(1) : value;
        if (!FIELDS.contains(field)) {
            throw new Inputs.BadInput("The list can be sorted by name, email or birthDate only.");
        }
        return value;
    }

    public String pageUrl(int number) {
        return url(number, sort);
    }

    /** The address that sorts by {@code field}: ascending first, then the other way. */
    public String sortUrl(String field) {
        return url(1, field.equals(sort) ? "-" + field : field);
    }

    /** The header's {@code aria-sort}. */
    public String ariaSort(String field) {
        return field.equals(sort) ? "ascending" : ("-" + field).equals(sort) ? "descending" : "none";
    }

    public String searchValue() {
        return search == null ? "" : search;
    }

    public String sortValue() {
        return sort == null ? "" : sort;
    }

    public String baseUrl() {
        return "/console/organizations/" + organizationId + "/patients";
    }

    private String url(int number, String order) {
        StringBuilder url = new StringBuilder(baseUrl()).append("?page=").append(number);
        if (search != null) {
            url.append("&q=").append(URLEncoder.encode(search, StandardCharsets.UTF_8));
        }
        if (order != null) {
            url.append("&sort=").append(URLEncoder.encode(order, StandardCharsets.UTF_8));
        }
        return url.toString();
    }
}
