package org.jupyterhealth.exchange.fhir.directory;


import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Resource;
import org.jupyterhealth.exchange.fhir.access.Caller;
import org.jupyterhealth.exchange.fhir.search.ListPaging.ListPage;
import org.jupyterhealth.exchange.fhir.search.SearchBundles;
import org.jupyterhealth.exchange.fhir.search.SearchRequest;
import org.jupyterhealth.exchange.fhir.web.FhirBasePath;
import org.jupyterhealth.exchange.fhir.web.FhirMediaTypes;
import org.jupyterhealth.exchange.fhir.web.FhirRequest;
import org.jupyterhealth.exchange.fhir.web.SearchInput;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** FHIR Group, Organization, Device and Practitioner search and read, under both bases. */
public final class DirectoryResources {
    private DirectoryResources() {
    }

    @Authenticated
    abstract static class Base {
        final DirectorySearchService service;
        final JsonWebToken token;
        final FhirRequest request;
        final String type;

        Base(DirectorySearchService service, JsonWebToken token, FhirRequest request, String type) {
            this.service = service;
            this.token = token;
            this.request = request;
            this.type = type;
        }

        abstract Uni<ListPage<Resource>> find(Caller caller, SearchRequest search);

        abstract Uni<Resource> read(Caller caller, String id);

        @GET
        public Uni<Bundle> search(@Context UriInfo uri, @HeaderParam("Prefer") String prefer) {
            return bundle(SearchInput.of(type, uri, prefer), true);
        }

        @POST
        @Path("_search")
        @Consumes(MediaType.WILDCARD)
        public Uni<Bundle> searchByPost(@Context UriInfo uri, @HeaderParam("Prefer") String prefer,
                @Context HttpHeaders headers, String body) {
            return bundle(SearchInput.ofPost(type, uri, prefer, headers.getMediaType(), body), false);
        }

        @GET
        @Path("{id}")
        public Uni<Resource> readById(@PathParam("id") String id) {
            return read(Caller.from(token), id);
        }

        private Uni<Bundle> bundle(SearchRequest search, boolean get) {
            search.count();
            search.page();
            search.cursor();
            return find(Caller.from(token), search).map(page -> SearchBundles.searchset(request, search, get,
                    page.items(), page.total(), page.next(), page.previous()));
        }
    }

    @Path(FhirBasePath.LOWER + "/Group")
    @Authenticated
    @Produces({ FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON })
    public static class GroupResource extends Base {
        public GroupResource(DirectorySearchService service, JsonWebToken token, FhirRequest request) {
            super(service, token, request, "Group");
        }

        @Override
        Uni<ListPage<Resource>> find(Caller caller, SearchRequest search) {
            return service.searchGroups(caller, search);
        }

        @Override
        Uni<Resource> read(Caller caller, String id) {
            return service.readGroup(caller, id);
        }
    }

    @Path(FhirBasePath.LOWER + "/Organization")
    @Authenticated
    @Produces({ FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON })
    public static class OrganizationResource extends Base {
        public OrganizationResource(DirectorySearchService service, JsonWebToken token, FhirRequest request) {
            super(service, token, request, "Organization");
        }

        @Override
        Uni<ListPage<Resource>> find(Caller caller, SearchRequest search) {
            return service.searchOrganizations(caller, search);
        }

        @Override
        Uni<Resource> read(Caller caller, String id) {
            return service.readOrganization(caller, id);
        }
    }

    @Path(FhirBasePath.LOWER + "/Device")
    @Authenticated
    @Produces({ FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON })
    public static class DeviceResource extends Base {
        public DeviceResource(DirectorySearchService service, JsonWebToken token, FhirRequest request) {
            super(service, token, request, "Device");
        }

        @Override
        Uni<ListPage<Resource>> find(Caller caller, SearchRequest search) {
            return service.searchDevices(caller, search);
        }

        @Override
        Uni<Resource> read(Caller caller, String id) {
            return service.readDevice(caller, id);
        }
    }

    @Path(FhirBasePath.LOWER + "/Practitioner")
    @Authenticated
    @Produces({ FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON })
    public static class PractitionerResource extends Base {
        public PractitionerResource(DirectorySearchService service, JsonWebToken token, FhirRequest request) {
            super(service, token, request, "Practitioner");
        }

        @Override
        Uni<ListPage<Resource>> find(Caller caller, SearchRequest search) {
            return service.searchPractitioners(caller, search);
        }

        @Override
        Uni<Resource> read(Caller caller, String id) {
            return service.readPractitioner(caller, id);
        }
    }
}
