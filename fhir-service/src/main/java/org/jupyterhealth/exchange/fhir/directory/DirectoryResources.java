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
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.hl7.fhir.r5.model.Resource;
import org.jupyterhealth.exchange.common.fhir.ResourceStore;
import org.jupyterhealth.exchange.common.web.RequestIds;
import org.jupyterhealth.exchange.fhir.access.Caller;
import org.jupyterhealth.exchange.fhir.resource.StoreByUuidResource;
import org.jupyterhealth.exchange.fhir.resource.StoreHttp;
import org.jupyterhealth.exchange.fhir.search.ListPaging.ListPage;
import org.jupyterhealth.exchange.fhir.search.SearchBundles;
import org.jupyterhealth.exchange.fhir.search.SearchRequest;
import org.jupyterhealth.exchange.fhir.web.FhirBasePath;
import org.jupyterhealth.exchange.fhir.web.FhirMediaTypes;
import org.jupyterhealth.exchange.fhir.web.FhirRequest;
import org.jupyterhealth.exchange.fhir.web.SearchInput;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * FHIR Group, Organization, Device and Practitioner search and read, under both bases. A UUID id is the FHIR resource
 * store's (docs/compatibility.md#fhir-resource-store): read, create, replace and delete as the store's other types;
 * the exchange's own records (integer ids) are read only (405 for a write).
 */
public final class DirectoryResources {
    private DirectoryResources() {
    }

    @Authenticated
    abstract static class Base extends StoreByUuidResource {
        final DirectorySearchService service;
        final JsonWebToken token;
        final FhirRequest request;

        Base(DirectorySearchService service, JsonWebToken token, FhirRequest request, String type, StoreHttp store) {
            super(store, type);
            this.service = service;
            this.token = token;
            this.request = request;
        }

        abstract Uni<ListPage<Resource>> find(Caller caller, SearchRequest search);

        abstract Uni<Resource> read(Caller caller, String id);

        @GET
        public Uni<Response> search(@Context UriInfo uri, @HeaderParam("Prefer") String prefer) {
            return bundle(SearchInput.of(type, uri, prefer), true, uri.getRequestUri().getRawQuery());
        }

        @POST
        @Path("_search")
        @Consumes(MediaType.WILDCARD)
        public Uni<Response> searchByPost(@Context UriInfo uri, @HeaderParam("Prefer") String prefer,
                @Context HttpHeaders headers, String body) {
            return bundle(SearchInput.ofPost(type, uri, prefer, headers.getMediaType(), body), false, body);
        }

        @GET
        @Path("{id}")
        public Uni<Response> readById(@PathParam("id") String id) {
            if (ResourceStore.isStoreId(id)) {
                return store.read(type, id);
            }
            return read(Caller.from(token), id).map(resource -> Response.ok(resource).build());
        }

        /** A create goes to the FHIR resource store, as the original's does for these types. */
        @POST
        @Consumes(MediaType.WILDCARD)
        public Uni<Response> create(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                @HeaderParam("Prefer") String prefer, @HeaderParam(RequestIds.HEADER) String requestId,
                @HeaderParam(ResourceStore.SOURCE_HEADER) String sourceHeader) {
            return store.create(type, body, contentType, prefer, requestId, sourceHeader);
        }

        /**
         * A search of the exchange's own records, or, when its {@code _source} names FHIR sources, of the resources
         * of the type the FHIR resource store keeps (one store per search, as the original's), with the store's
         * access decisions and audit.
         */
        private Uni<Response> bundle(SearchRequest search, boolean get, String auditQuery) {
            if (StoreHttp.choosesStore(search)) {
                return store.search(type, search, get, auditQuery);
            }
            search.count();
            search.page();
            search.cursor();
            return find(Caller.from(token), search).map(page -> Response.ok(SearchBundles.searchset(request, search,
                    get, page.items(), page.total(), page.next(), page.previous())).build());
        }
    }

    @Path(FhirBasePath.LOWER + "/Group")
    @Authenticated
    @Produces({ FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON })
    public static class GroupResource extends Base {
        public GroupResource(DirectorySearchService service, JsonWebToken token, FhirRequest request,
                StoreHttp store) {
            super(service, token, request, "Group", store);
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
        public OrganizationResource(DirectorySearchService service, JsonWebToken token, FhirRequest request,
                StoreHttp store) {
            super(service, token, request, "Organization", store);
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
        public DeviceResource(DirectorySearchService service, JsonWebToken token, FhirRequest request,
                StoreHttp store) {
            super(service, token, request, "Device", store);
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
        public PractitionerResource(DirectorySearchService service, JsonWebToken token, FhirRequest request,
                StoreHttp store) {
            super(service, token, request, "Practitioner", store);
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
