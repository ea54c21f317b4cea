package org.jupyterhealth.exchange.admin.access;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jupyterhealth.exchange.admin.access.AccessService.Scope;
import org.jupyterhealth.exchange.admin.access.InternalRecords.CodeRecord;
import org.jupyterhealth.exchange.admin.access.InternalRecords.DataSourceRecord;
import org.jupyterhealth.exchange.admin.access.InternalRecords.OrganizationRecord;
import org.jupyterhealth.exchange.admin.access.InternalRecords.PractitionerRecord;
import org.jupyterhealth.exchange.admin.access.InternalRecords.RecordPage;
import org.jupyterhealth.exchange.admin.access.InternalRecords.SearchResult;
import org.jupyterhealth.exchange.admin.access.InternalRecords.StudyRecord;
import org.jupyterhealth.exchange.admin.access.RecordService.PatientSearch;
import org.jupyterhealth.exchange.admin.patient.PatientRecord;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.QueryParams;

import io.smallrye.mutiny.Uni;

/**
 * Records fhir-service renders as FHIR resources (docs/internal-api.md), in bulk, for service tokens only. The
 * searches apply the same visibility as the access decisions and answer {@code {"total", "results"}}; paging with
 * {@code count} (default 20, at most 1000; FHIR {@code _count}) and {@code offset} (or FHIR {@code _page}).
 */
@Path("/internal")
@RolesAllowed("internal")
@Produces(MediaType.APPLICATION_JSON)
public class InternalRecordsResource {
    private final RecordService records;

    public InternalRecordsResource(RecordService records) {
        this.records = records;
    }

    private static RecordPage page(QueryParams q) {
        Long count = firstId(q, "count", "_count");
        int size = count == null || count < 0 ? 20 : (int) Math.min(count, 1000);
        Long offset = firstId(q, "offset", "_offset");
        Long page = firstId(q, "page", "_page");
        long start = offset != null ? Math.max(0, offset) : page != null && page > 1 ? (page - 1) * size : 0;
        return new RecordPage(size, start);
    }

    private static Long firstId(QueryParams q, String... names) {
        for (String name : names) {
            Long value = q.id(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static Long[] idList(QueryParams q, String name) {
        String raw = q.string(name);
        if (raw == null) {
            return null;
        }
        try {
            return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Long::valueOf)
                    .toArray(Long[]::new);
        } catch (NumberFormatException e) {
            throw Errors.invalid(name, name + " must be a comma-separated list of integers.");
        }
    }

    // ------------------------------------------------------------------------------------------------ patients

    @GET
    @Path("/patients")
    @Operation(hidden = true)
    public Uni<List<PatientRecord>> patients(@Context UriInfo uri) {
        Long[] ids = idList(QueryParams.of(uri), "ids");
        return records.patients(ids == null ? List.of() : Arrays.asList(ids));
    }

    /**
     * The Patient search (docs/compatibility.md#fhir-search): the patients the user may see, filtered, by family name.
     */
    @GET
    @Path("/patients/search")
    @Operation(hidden = true)
    public Uni<SearchResult<PatientRecord>> searchPatients(@Context UriInfo uri) {
        QueryParams q = QueryParams.of(uri);
        Scope scope = new Scope(firstId(q, "organization_id", "patient.organization"),
                firstId(q, "study_id", "_has:Group:member:_id", "patient._has:Group:member:_id"),
                firstId(q, "patient_id", "patient"));
        Long[] onlyIds = idList(q, "_id");
        // identifier: system|value, |value (any system) or value
        String identifier = q.string("identifier");
        String system = null;
        String value = identifier;
        if (identifier != null && identifier.contains("|")) {
            system = identifier.substring(0, identifier.indexOf('|'));
            value = identifier.substring(identifier.indexOf('|') + 1);
            system = system.isEmpty() ? null : system;
        }
        String family = q.string("family");
        String given = q.string("given");
        String name = q.string("name");
        LocalDate birthdate;
        try {
            birthdate = q.string("birthdate") == null ? null : LocalDate.parse(q.string("birthdate"));
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(Errors.invalid("birthdate", "birthdate must be a date (YYYY-MM-DD)."));
        }
        RecordPage page = page(q);
        PatientSearch search = new PatientSearch(scope, onlyIds, system, value, family, given, name, birthdate);
        return records.searchPatients(q.id("user_id"), search, page);
    }

    // ------------------------------------------------------------------------------------------------ others

    /** Studies (FHIR Group): a practitioner's organizations' studies, a patient's own; filters _id, name. */
    @GET
    @Path("/studies")
    @Operation(hidden = true)
    public Uni<SearchResult<StudyRecord>> studies(@Context UriInfo uri) {
        QueryParams q = QueryParams.of(uri);
        RecordPage page = page(q);
        Long[] onlyIds = idList(q, "_id");
        String name = q.string("name");
        Long organizationId = firstId(q, "organization_id");
        Long patientId = firstId(q, "patient_id", "patient");
        return records.searchStudies(q.id("user_id"), onlyIds, name, organizationId, patientId, page);
    }

    /** Organizations the user belongs to (practitioner or patient); filters _id, name. */
    @GET
    @Path("/organizations")
    @Operation(hidden = true)
    public Uni<SearchResult<OrganizationRecord>> organizations(@Context UriInfo uri) {
        QueryParams q = QueryParams.of(uri);
        RecordPage page = page(q);
        Long[] onlyIds = idList(q, "_id");
        String name = q.string("name");
        return records.searchOrganizations(q.id("user_id"), onlyIds, name, page);
    }

    /**
     * Practitioners sharing an organization with the user (practitioner or patient); filters _id, name (a prefix of
     * the family or given name) and identifier (the value; a {@code system|} part is ignored, as the original does).
     */
    @GET
    @Path("/practitioners")
    @Operation(hidden = true)
    public Uni<SearchResult<PractitionerRecord>> practitioners(@Context UriInfo uri) {
        QueryParams q = QueryParams.of(uri);
        RecordPage page = page(q);
        Long[] onlyIds = idList(q, "_id");
        String name = q.string("name");
        String identifier = q.string("identifier");
        if (identifier != null && identifier.indexOf('|') >= 0) {
            identifier = identifier.substring(identifier.indexOf('|') + 1);
        }
        return records.searchPractitioners(q.id("user_id"), onlyIds, name, identifier, page);
    }

    /** Data sources (FHIR Device) linked to the studies the user may see; filters _id. */
    @GET
    @Path("/data-sources")
    @Operation(hidden = true)
    public Uni<SearchResult<DataSourceRecord>> dataSources(@Context UriInfo uri) {
        QueryParams q = QueryParams.of(uri);
        RecordPage page = page(q);
        Long[] onlyIds = idList(q, "_id");
        return records.searchDataSources(q.id("user_id"), onlyIds, page);
    }

    @GET
    @Path("/codes")
    @Operation(hidden = true)
    public Uni<List<CodeRecord>> codes() {
        return records.codes();
    }
}
