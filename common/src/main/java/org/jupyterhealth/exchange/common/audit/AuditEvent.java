package org.jupyterhealth.exchange.common.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One access to health data or to an account, as a service saw it: the value of topic {@code audit-events}
 * (docs/internal-api.md#kafka). It says who, what, whose, when, from where and with which outcome, and never
 * carries the data itself or a credential: no resource body, no token, no password; a search is recorded by its
 * parameters (without any parameter that could be a credential) and the number of resources it returned.
 *
 * @param id            the event's own id (a random UUID), the AuditEvent's id when it is read back
 * @param recorded      when the access happened (the service's clock), millisecond precision
 * @param service       the service that saw it (its artifact id)
 * @param action        what was done: one of {@link AuditAction}'s names
 * @param outcome       {@link #SUCCESS}, {@link #REFUSED} (a 401 or 403: the caller may not) or {@link #FAILED}
 * @param status        the HTTP status answered
 * @param userId        the user who acted, when known (a failed sign-in may not know one)
 * @param role          {@code patient}, {@code practitioner}, {@code superuser} or {@code service}; absent when unknown
 * @param clientId      the OAuth client the user acted through
 * @param resourceType  the kind of record: a FHIR type ({@code Observation}, {@code Patient}) or an admin record
 *                      ({@code Consent}, {@code Account}, {@code Token})
 * @param resourceIds   the ids read, written or deleted (at most {@link #MAX_IDS}; a search lists none)
 * @param query         a search's parameters as given, credentials left out, at most {@link #MAX_QUERY} characters
 * @param count         the number of resources a search or a read returned
 * @param patientIds    whose data it is (empty when it concerns no patient, or none could be told)
 * @param requestId     the request id the gateway gave the request
 * @param clientAddress the address the request came from (the gateway's forwarded address)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public record AuditEvent(UUID id, Instant recorded, String service, String action, String outcome, int status,
        Long userId, String role, String clientId, String resourceType, List<String> resourceIds, String query,
        Integer count, List<Long> patientIds, String requestId, String clientAddress) {

    public static final String SUCCESS = "success";
    public static final String REFUSED = "refused";
    public static final String FAILED = "failed";
    /** The key of an event that concerns no patient (a sign-in, a search across patients that found none). */
    public static final String NO_PATIENT_KEY = "no-patient";
    public static final int MAX_IDS = 100;
    public static final int MAX_QUERY = 2000;
    static final int MAX_TEXT = 200;

    public AuditEvent {
        resourceIds = resourceIds == null ? List.of() : List.copyOf(resourceIds.subList(0,
                Math.min(resourceIds.size(), MAX_IDS)));
        patientIds = patientIds == null ? List.of() : List.copyOf(patientIds);
    }

    /** The outcome of an HTTP status: 401 and 403 are refusals, any other error a failure. */
    public static String outcomeOf(int status) {
        return status < 400 ? SUCCESS : status == 401 || status == 403 ? REFUSED : FAILED;
    }

    /**
     * The record's key: the first patient, so that a patient's events stay in order on one partition; an event
     * about no patient goes under {@link #NO_PATIENT_KEY}.
     */
    public String key() {
        return patientIds.isEmpty() ? NO_PATIENT_KEY : Long.toString(patientIds.get(0));
    }

    /** A new event of this action, now, with a fresh id. */
    public static Builder of(AuditAction action) {
        return new Builder(action);
    }

    /** Builds an event field by field; the status sets the outcome unless one is given. */
    public static final class Builder {
        private final AuditAction action;
        private String service;
        private String outcome;
        private int status = 200;
        private Long userId;
        private String role;
        private String clientId;
        private String resourceType;
        private List<String> resourceIds = List.of();
        private String query;
        private Integer count;
        private List<Long> patientIds = List.of();
        private String requestId;
        private String clientAddress;

        private Builder(AuditAction action) {
            this.action = action;
        }

        public Builder service(String service) {
            this.service = service;
            return this;
        }

        public Builder status(int status) {
            this.status = status;
            return this;
        }

        public Builder outcome(String outcome) {
            this.outcome = outcome;
            return this;
        }

        public Builder agent(Long userId, String role, String clientId) {
            this.userId = userId;
            this.role = role;
            this.clientId = clientId;
            return this;
        }

        public Builder resource(String resourceType, List<String> resourceIds) {
            this.resourceType = resourceType;
            this.resourceIds = resourceIds == null ? List.of() : resourceIds;
            return this;
        }

        /** A search: its raw query string (credentials are left out, {@link AuditQuery}) and what it returned. */
        public Builder search(String rawQuery, Integer count) {
            this.query = AuditQuery.of(rawQuery);
            this.count = count;
            return this;
        }

        public Builder count(Integer count) {
            this.count = count;
            return this;
        }

        public Builder patients(List<Long> patientIds) {
            this.patientIds = patientIds == null ? List.of() : patientIds;
            return this;
        }

        public Builder request(String requestId, String clientAddress) {
            this.requestId = clip(requestId);
            this.clientAddress = clip(clientAddress);
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(UUID.randomUUID(), Instant.now(), service, action.wire(),
                    outcome == null ? outcomeOf(status) : outcome, status, userId, role, clip(clientId),
                    resourceType, resourceIds.stream().map(Builder::clip).toList(), query, count,
                    patientIds.stream().distinct().toList(), requestId, clientAddress);
        }

        /** Client-given texts (a request id, a client id) without control characters and bounded. */
        private static String clip(String text) {
            if (text == null) {
                return null;
            }
            String clean = AuditQuery.hasControl(text) ? text.replaceAll("\\p{Cntrl}", "") : text;
            return clean.length() > MAX_TEXT ? clean.substring(0, MAX_TEXT) : clean;
        }
    }
}
