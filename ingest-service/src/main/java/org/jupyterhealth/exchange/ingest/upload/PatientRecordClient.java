package org.jupyterhealth.exchange.ingest.upload;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;

/**
 * admin-service's patient records ({@code docs/internal-api.md}), of which a deletion needs one fact: the account of
 * the patient an observation belongs to. Called with ingest-service's own client-credentials token.
 */
@RegisterRestClient(configKey = "admin")
@Path("/internal")
@OidcClientFilter
public interface PatientRecordClient {

    @GET
    @Path("/patients")
    Uni<List<PatientAccount>> patients(@QueryParam("ids") String ids);

    /** The part of a patient record read here: the patient and its user account (null when it has none). */
    record PatientAccount(long id, Long jheUserId) {
    }
}
