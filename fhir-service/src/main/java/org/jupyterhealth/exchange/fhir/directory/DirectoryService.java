package org.jupyterhealth.exchange.fhir.directory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jupyterhealth.exchange.fhir.access.AdminClient;
import org.jupyterhealth.exchange.fhir.access.CodeKey;
import org.jupyterhealth.exchange.fhir.directory.Records.CodeRecord;
import org.jupyterhealth.exchange.fhir.directory.Records.DataSourceRecord;
import org.jupyterhealth.exchange.fhir.directory.Records.OrganizationRecord;
import org.jupyterhealth.exchange.fhir.directory.Records.PatientRecord;
import org.jupyterhealth.exchange.fhir.directory.Records.PractitionerRecord;
import org.jupyterhealth.exchange.fhir.directory.Records.StudyRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CacheResult;
import io.quarkus.cache.CaffeineCache;
import io.smallrye.mutiny.Uni;

/**
 * The records fhir-service renders but admin-service owns: patients (bulk by id, each kept a few seconds), the
 * studies, organizations, data sources and practitioners a user may see (kept at most a second, like every access decision), and
 * the codeable concepts (kept a minute). Failures are mapped like access decisions: 503, never partial data.
 */
@ApplicationScoped
public class DirectoryService {
    /** The most studies, organizations or data sources read for one user (admin-service's page limit). */
    static final int MAX_RECORDS = 1000;
    private final AdminClient admin;
    private final ObjectMapper json;
    private final CaffeineCache patients;

    public DirectoryService(@RestClient AdminClient admin, ObjectMapper json,
            @CacheName("patient-records") Cache patients) {
        this.admin = admin;
        this.json = json;
        this.patients = patients.as(CaffeineCache.class);
    }

    /** The records of these patients, by id; unknown ids are left out. */
    public Uni<Map<Long, PatientRecord>> patients(Collection<Long> ids) {
        Map<Long, PatientRecord> found = new HashMap<>();
        List<Long> missing = new ArrayList<>();
        for (Long id : ids) {
            CompletableFuture<Object> cached = patients.getIfPresent(id);
            Object record = cached == null ? null : cached.getNow(null);
            if (record instanceof PatientRecord patient) {
                found.put(id, patient);
            } else {
                missing.add(id);
            }
        }
        if (missing.isEmpty()) {
            return Uni.createFrom().item(found);
        }
        List<Uni<List<PatientRecord>>> batches = new ArrayList<>();
        for (int from = 0; from < missing.size(); from += 200) {
            String batch = missing.subList(from, Math.min(missing.size(), from + 200)).stream()
                    .map(String::valueOf).collect(Collectors.joining(","));
            batches.add(admin.patients(batch).map(node -> list(node, "patients", PatientRecord.class)));
        }
        return Uni.join().all(batches).andFailFast()
                .map(lists -> {
                    for (List<PatientRecord> list : lists) {
                        for (PatientRecord patient : list) {
                            found.put(patient.id(), patient);
                            patients.put(patient.id(), CompletableFuture.completedFuture(patient));
                        }
                    }
                    return found;
                })
                .onFailure().transform(DirectoryFailures::map);
    }

    @CacheResult(cacheName = "study-records")
    public Uni<List<StudyRecord>> studies(long userId) {
        return admin.studies(userId, MAX_RECORDS).map(node -> list(node, "studies", StudyRecord.class))
                .onFailure().transform(DirectoryFailures::map);
    }

    @CacheResult(cacheName = "organization-records")
    public Uni<List<OrganizationRecord>> organizations(long userId) {
        return admin.organizations(userId, MAX_RECORDS).map(node -> list(node, "organizations", OrganizationRecord.class))
                .onFailure().transform(DirectoryFailures::map);
    }

    @CacheResult(cacheName = "data-source-records")
    public Uni<List<DataSourceRecord>> dataSources(long userId) {
        return admin.dataSources(userId, MAX_RECORDS).map(node -> list(node, "dataSources", DataSourceRecord.class))
                .onFailure().transform(DirectoryFailures::map);
    }

    @CacheResult(cacheName = "practitioner-records")
    public Uni<List<PractitionerRecord>> practitioners(long userId) {
        return admin.practitioners(userId, MAX_RECORDS).map(node -> list(node, "practitioners",
                PractitionerRecord.class)).onFailure().transform(DirectoryFailures::map);
    }

    /** Every codeable concept, by system and code. */
    @CacheResult(cacheName = "code-records")
    public Uni<Map<CodeKey, CodeRecord>> codes() {
        return admin.codes().map(node -> {
            Map<CodeKey, CodeRecord> codes = new LinkedHashMap<>();
            for (CodeRecord code : list(node, "codes", CodeRecord.class)) {
                codes.put(new CodeKey(code.system(), code.code()), code);
            }
            return codes;
        }).onFailure().transform(DirectoryFailures::map);
    }

    /** A list answer: a bare array, or an object holding it under {@code field} (or {@code results}). */
    private <T> List<T> list(JsonNode node, String field, Class<T> type) {
        JsonNode array = node;
        if (node != null && node.isObject()) {
            array = node.has(field) ? node.get(field) : node.get("results");
        }
        List<T> items = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode item : array) {
                try {
                    items.add(json.treeToValue(item, type));
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    throw new IllegalStateException("admin-service sent an unreadable " + type.getSimpleName(), e);
                }
            }
        }
        return items;
    }
}
