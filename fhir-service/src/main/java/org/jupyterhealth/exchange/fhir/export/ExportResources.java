package org.jupyterhealth.exchange.fhir.export;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jupyterhealth.exchange.fhir.web.FhirBasePath;
import org.jupyterhealth.exchange.fhir.web.FhirMediaTypes;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * FHIR Bulk Data export ({@code $export}, docs/compatibility.md#bulk-export): the kick-off at the three levels (the
 * whole exchange for a superuser, the patients the caller may see, the patients of a study), then the job's status
 * URL ({@code _export/{id}}: progress, manifest, cancel) and its files. The same under {@code /FHIR/R5}.
 */
public final class ExportResources {
    /**
     * The operation's name as a path segment: matched on the path as sent, where clients may escape the
     * {@code $} ({@code %24export}) or not.
     */
    static final String OPERATION = "{operation: (?:\\$|%24)export}";

    private ExportResources() {
    }

    /** {@code [base]/$export}: everything the caller may read, for superusers only. */
    @Path(FhirBasePath.LOWER + "/" + OPERATION)
    @Authenticated
    @Produces({ FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON })
    public static class SystemExport {
        private final ExportHttp http;

        public SystemExport(ExportHttp http) {
            this.http = http;
        }

        @GET
        public Uni<Response> kickOff(@Context UriInfo uri, @Context HttpHeaders headers) {
            return http.kickOff(ExportService.Level.SYSTEM, null, uri.getQueryParameters(), headers);
        }

        @POST
        @Consumes(MediaType.WILDCARD)
        public Uni<Response> kickOffByPost(@Context HttpHeaders headers, byte[] body) {
            return http.kickOff(ExportService.Level.SYSTEM, null, body, headers);
        }
    }

    /** {@code [base]/Patient/$export}: the data of every patient the caller may see (or of those named). */
    @Path(FhirBasePath.LOWER + "/Patient/" + OPERATION)
    @Authenticated
    @Produces({ FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON })
    public static class PatientExport {
        private final ExportHttp http;

        public PatientExport(ExportHttp http) {
            this.http = http;
        }

        @GET
        public Uni<Response> kickOff(@Context UriInfo uri, @Context HttpHeaders headers) {
            return http.kickOff(ExportService.Level.PATIENT, null, uri.getQueryParameters(), headers);
        }

        @POST
        @Consumes(MediaType.WILDCARD)
        public Uni<Response> kickOffByPost(@Context HttpHeaders headers, byte[] body) {
            return http.kickOff(ExportService.Level.PATIENT, null, body, headers);
        }
    }

    /** {@code [base]/Group/{id}/$export}: the data of the patients of a study, as the caller may read it. */
    @Path(FhirBasePath.LOWER + "/Group/{id}/" + OPERATION)
    @Authenticated
    @Produces({ FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON })
    public static class GroupExport {
        private final ExportHttp http;

        public GroupExport(ExportHttp http) {
            this.http = http;
        }

        @GET
        public Uni<Response> kickOff(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers) {
            return http.kickOff(ExportService.Level.GROUP, id, uri.getQueryParameters(), headers);
        }

        @POST
        @Consumes(MediaType.WILDCARD)
        public Uni<Response> kickOffByPost(@PathParam("id") String id, @Context HttpHeaders headers, byte[] body) {
            return http.kickOff(ExportService.Level.GROUP, id, body, headers);
        }
    }

    /** A job's status URL and files, for its requester (or a superuser) only. */
    @Path(FhirBasePath.LOWER + "/_export/{id}")
    @Authenticated
    public static class ExportJobs {
        private final ExportHttp http;

        public ExportJobs(ExportHttp http) {
            this.http = http;
        }

        @GET
        @Produces({ MediaType.APPLICATION_JSON, FhirMediaTypes.FHIR_JSON })
        public Uni<Response> status(@PathParam("id") String id) {
            return http.status(id);
        }

        @DELETE
        @Produces({ FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON })
        public Uni<Response> cancel(@PathParam("id") String id) {
            return http.cancel(id);
        }

        @GET
        @Path("{file}")
        @Produces({ ExportHttp.NDJSON, "application/ndjson", FhirMediaTypes.FHIR_JSON })
        public Uni<Response> file(@PathParam("id") String id, @PathParam("file") String file) {
            return http.file(id, file);
        }
    }
}
