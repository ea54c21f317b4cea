package org.jupyterhealth.exchange.fhir.access;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.cache.CacheResult;
import io.smallrye.mutiny.Uni;

/**
 * admin-service's access decisions (docs/internal-api.md), asked once per query and kept at most one
 * second ({@code quarkus.cache.caffeine.*.expire-after-write}), so that a revoked consent hides data within a
 * second. Refusals are not cached; an unreachable admin-service is a 503, never data.
 */
@ApplicationScoped
public class AccessService {
    private final AdminClient admin;

    public AccessService(@RestClient AdminClient admin) {
        this.admin = admin;
    }

    /** Which codes of which patients the user may read, consent included. */
    @CacheResult(cacheName = "observation-access")
    public Uni<ObservationGrants> observationGrants(AccessQuery query) {
        return admin.observationAccess(query.userId(), query.organizationId(), query.studyId(), query.patientId())
                .map(answer -> ObservationGrants.of(answer == null ? null : answer.grants()))
                .onFailure().transform(AdminFailures::map);
    }

    /** The patients the user may see (no consent needed to see a patient). */
    @CacheResult(cacheName = "patient-access")
    public Uni<Set<Long>> visiblePatients(AccessQuery query) {
        return admin.patientAccess(query.userId(), query.organizationId(), query.studyId(), query.patientId())
                .map(AccessService::patientIds)
                .onFailure().transform(AdminFailures::map);
    }

    private static Set<Long> patientIds(JsonNode answer) {
        Set<Long> ids = new LinkedHashSet<>();
        JsonNode list = answer == null ? null : answer.isArray() ? answer : answer.get("patientIds");
        if (list != null && list.isArray()) {
            list.forEach(id -> {
                if (id.canConvertToLong()) {
                    ids.add(id.asLong());
                }
            });
        }
        return ids;
    }
}
